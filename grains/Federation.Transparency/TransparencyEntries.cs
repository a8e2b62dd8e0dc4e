using System.Globalization;

namespace Federation.Transparency;

/// <summary>The entries for the decisions the nation logs, built one way wherever they are made.</summary>
public static class TransparencyEntries
{
    /// <summary>
    /// A nation's admission decision on an execution offered by <paramref name="origin"/>: an
    /// <see cref="TransparencyEntryKind.Admission"/> when <paramref name="rule"/> is null, otherwise a
    /// <see cref="TransparencyEntryKind.Refusal"/> naming the rule; the reason goes into the detail.
    /// </summary>
    public static TransparencyEntry Admission(string job, int epoch, string origin, string? rule, string reason, DateTimeOffset time) =>
        TransparencyEntry.Create(
            rule is null ? TransparencyEntryKind.Admission : TransparencyEntryKind.Refusal,
            time,
            job: job,
            peer: origin,
            rule: Clip(rule, TransparencyEntry.MaxReference),
            detail: [new("epoch", epoch.ToString(CultureInfo.InvariantCulture)), new("reason", Clip(Printable(reason), TransparencyEntry.MaxDetailValue)!)]);

    /// <summary>A routing decision for <paramref name="job"/>: the chosen nation (or none) and why.</summary>
    public static TransparencyEntry Routing(string job, string? chosen, string reason, DateTimeOffset time) =>
        TransparencyEntry.Create(
            TransparencyEntryKind.RoutingDecision,
            time,
            job: job,
            peer: chosen,
            detail: [new("reason", Clip(Printable(reason), TransparencyEntry.MaxDetailValue)!)]);

    /// <summary>A federation request that arrived from (<paramref name="inbound"/>) or went to <paramref name="peer"/>.</summary>
    public static TransparencyEntry FederationRequest(bool inbound, string peer, string method, string path, int status, DateTimeOffset time) =>
        TransparencyEntry.Create(
            inbound ? TransparencyEntryKind.FederationRequestIn : TransparencyEntryKind.FederationRequestOut,
            time,
            peer: peer,
            detail: [new("method", method), new("path", Clip(Printable(path), TransparencyEntry.MaxDetailValue)!), new("status", status.ToString(CultureInfo.InvariantCulture))]);

    private static string Printable(string text) => new([.. (text ?? string.Empty).Select(c => char.IsControl(c) ? ' ' : c)]);

    private static string? Clip(string? text, int max) => text is { } t && t.Length > max ? t[..max] : text;
}
