using System.Collections.Immutable;

namespace Federation.Protocol.Usage;

/// <summary>
/// What one nation ran, per origin nation and consortium, over a period: the accelerator-hours of the
/// runs it held in (<see cref="From"/>, <see cref="To"/>], the part of each run's charge that falls in
/// the period. Sent to every peer (<c>POST /federation/v1/shares/usage-reports</c>), signed with the
/// sender's federation key; the receivers add it to their view of the federation's usage.
/// </summary>
/// <param name="Nation">The reporting nation (the one that ran the work).</param>
/// <param name="Sequence">Strictly increasing per reporting nation (the end of the period in Unix milliseconds): an older or equal one is a replay.</param>
/// <param name="From">The start of the period (excluded).</param>
/// <param name="To">The end of the period (included); never in the receiver's future beyond the clock skew.</param>
/// <param name="Lines">Accelerator-hours per origin nation and consortium; at most <see cref="UsageReportSignature.MaxLines"/>.</param>
public sealed record UsageReport(string Nation, long Sequence, DateTimeOffset From, DateTimeOffset To, ImmutableArray<UsageReportLine> Lines);

/// <summary>Accelerator-hours run for one origin nation and consortium in a report's period.</summary>
/// <param name="Origin">The origin nation of the jobs.</param>
/// <param name="Consortium">Their consortium; empty for none.</param>
/// <param name="AcceleratorHours">Finite and not negative.</param>
public sealed record UsageReportLine(string Origin, string Consortium, double AcceleratorHours);

/// <summary>A usage report with the reporting nation's signature over its canonical bytes.</summary>
/// <param name="Report">What the reporting nation states.</param>
/// <param name="SignerKey">The signer's public key, SubjectPublicKeyInfo DER in base64; its SHA-256 must be one of the reporting nation's roster pins valid at <see cref="UsageReport.To"/>.</param>
/// <param name="Signature">ECDSA P-256 with SHA-256 over the canonical bytes, IEEE P1363 (r||s) in base64.</param>
public sealed record SignedUsageReport(UsageReport Report, string SignerKey, string Signature);
