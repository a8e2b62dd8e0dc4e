using System.Globalization;

namespace Federation.Protocol.Roster;

/// <summary>
/// The federation protocol versions this implementation speaks. Versions are whole numbers; every
/// version so far shares the routes under <c>/federation/v1/</c> (<see cref="PathVersion"/>) and differs
/// from the one before only by optional members, which a sender writes only to a peer whose negotiated
/// version has them (docs/federation-protocol.md, "Versions").
/// </summary>
public static class ProtocolVersions
{
    /// <summary>The version in the routes' path, <c>/federation/v1/</c>, shared by versions 1 and 2.</summary>
    public const string PathVersion = "1";

    /// <summary>The oldest version this implementation still speaks.</summary>
    public const int Oldest = 1;

    /// <summary>
    /// The newest version: 2 adds an offer's <c>identity</c> (the vouched submitter) and a batch entry's
    /// <c>traceParent</c> to version 1.
    /// </summary>
    public const int Newest = 2;

    /// <summary>The newest version as it appears in roster entries and <c>hello</c>.</summary>
    public const string Current = "2";

    /// <summary>Every version this implementation speaks, oldest first.</summary>
    public static IReadOnlyList<string> Supported { get; } = UpTo(Newest);

    /// <summary>The versions from <see cref="Oldest"/> to <paramref name="max"/>, as text, oldest first.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="max"/> is not from <see cref="Oldest"/> to <see cref="Newest"/>.</exception>
    public static IReadOnlyList<string> UpTo(int max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, Oldest);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(max, Newest);
        return [.. Enumerable.Range(Oldest, max - Oldest + 1).Select(v => v.ToString(CultureInfo.InvariantCulture))];
    }

    /// <summary>
    /// The version two nations speak to each other: the highest that both <paramref name="mine"/> and
    /// <paramref name="theirs"/> list, or null when they have none in common. Entries that are not whole
    /// numbers from 1 to 1000 (a peer's claim) are ignored.
    /// </summary>
    public static int? Negotiate(IEnumerable<string> mine, IEnumerable<string>? theirs)
    {
        ArgumentNullException.ThrowIfNull(mine);
        var ours = mine.Select(Parse).OfType<int>().ToHashSet();
        int? best = null;
        foreach (var version in (theirs ?? []).Select(Parse).OfType<int>())
        {
            if (ours.Contains(version) && (best is null || version > best))
            {
                best = version;
            }
        }

        return best;
    }

    private static int? Parse(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v is >= 1 and <= 1000 ? v : null;
}
