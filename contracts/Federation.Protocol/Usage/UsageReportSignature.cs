using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Federation.Protocol.Usage;

/// <summary>
/// Signing and verifying a usage report with the reporting nation's federation key
/// (<see cref="NationKeySignature"/>, as model evaluations are) over one canonical JSON form: a type
/// tag first, members in a fixed order, no whitespace, times as UTC <c>yyyy-MM-ddTHH:mm:ss.fffffffZ</c>,
/// numbers in their shortest round-trip form, lines in the order sent.
/// </summary>
public static class UsageReportSignature
{
    /// <summary>The type tag of the canonical form; a new form gets a new tag.</summary>
    public const string Type = "federation.usage-report.v1";

    /// <summary>At most this many lines in one report.</summary>
    public const int MaxLines = 1000;

    /// <summary>The canonical bytes of <paramref name="report"/>, which the reporting nation signs and every receiver verifies.</summary>
    public static byte[] CanonicalBytes(UsageReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            json.WriteStartObject();
            json.WriteString("type", Type);
            json.WriteString("nation", report.Nation);
            json.WriteNumber("sequence", report.Sequence);
            json.WriteString("from", Time(report.From));
            json.WriteString("to", Time(report.To));
            json.WriteStartArray("lines");
            foreach (var line in report.Lines.IsDefault ? [] : report.Lines)
            {
                json.WriteStartObject();
                json.WriteString("origin", line?.Origin);
                json.WriteString("consortium", line?.Consortium);
                json.WriteNumber("acceleratorHours", line is { AcceleratorHours: var h } && double.IsFinite(h) ? h : 0);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Who reported what, for messages: <c>usage report 1733400000000 of DE for 2026-12-05 19:00:00Z..19:05:00Z</c>.</summary>
    public static string Name(UsageReport? report) =>
        report is null ? "a usage report with no statement" : string.Create(CultureInfo.InvariantCulture, $"usage report {report.Sequence} of {report.Nation} for {report.From:u}..{report.To:u}");

    /// <summary>Signs <paramref name="report"/> with the private key of <paramref name="certificate"/> (the reporting nation's federation certificate).</summary>
    /// <exception cref="CryptographicException">The certificate has no ECDSA private key.</exception>
    public static SignedUsageReport Sign(UsageReport report, X509Certificate2 certificate)
    {
        var (key, signature) = NationKeySignature.Sign(CanonicalBytes(report), certificate, "usage reports");
        return new SignedUsageReport(report, key, signature);
    }

    /// <summary>Null when <paramref name="claim"/> carries a valid signature by one of <paramref name="nationPins"/> (the reporting nation's roster pins valid at the period's end); otherwise why not.</summary>
    public static string? Verify(SignedUsageReport claim, IReadOnlyCollection<string> nationPins)
    {
        ArgumentNullException.ThrowIfNull(nationPins);
        var report = claim?.Report;
        var name = Name(report);
        if (report?.Nation is null || report.Lines.IsDefault || report.Lines.Any(l => l is null || l.Origin is null || l.Consortium is null))
        {
            return $"{name}: the signed statement is incomplete";
        }

        return NationKeySignature.Verify(name, CanonicalBytes(report), claim!.SignerKey, claim.Signature, nationPins,
            $"not {report.Nation}'s on the roster at {report.To.ToString("u", CultureInfo.InvariantCulture)}", report.Nation);
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
