using System.Globalization;

namespace Federation.Transparency;

/// <summary>
/// The keys a roster trusts for one nation's signatures, over time: its active SPKI pins, valid for
/// any signing time, and its retired pins, each valid for signatures made before its end (the grace
/// period of a key rotation, or the time from which a revoked key is no longer trusted). A signature
/// is checked against the pins valid at the time it was made, not only the pins of today.
/// </summary>
public sealed class NationPins
{
    private readonly Dictionary<string, DateTimeOffset> _retired;

    /// <summary>Creates the pins of a nation.</summary>
    /// <param name="active">Its active pins.</param>
    /// <param name="retired">Its retired pins, each with the end of its validity; an active pin listed here too stays active.</param>
    public NationPins(IEnumerable<string> active, IEnumerable<KeyValuePair<string, DateTimeOffset>>? retired = null)
    {
        ArgumentNullException.ThrowIfNull(active);
        Active = [.. active.Distinct(StringComparer.Ordinal)];
        _retired = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var (pin, notAfter) in retired ?? [])
        {
            if (!Active.Contains(pin, StringComparer.Ordinal))
            {
                _retired[pin] = notAfter;
            }
        }
    }

    /// <summary>The active pins.</summary>
    public IReadOnlyList<string> Active { get; }

    /// <summary>The retired pins and the end of each one's validity.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> Retired => _retired;

    /// <summary>True when the roster lists no pin at all for the nation.</summary>
    public bool IsEmpty => Active.Count == 0 && _retired.Count == 0;

    /// <summary>The pins that accept a signature made at <paramref name="signedAt"/>: the active ones and the retired ones whose end is later.</summary>
    public IReadOnlyList<string> ValidAt(DateTimeOffset signedAt) =>
        [.. Active, .. _retired.Where(r => signedAt < r.Value).Select(r => r.Key).Order(StringComparer.Ordinal)];

    /// <summary>
    /// Null when <paramref name="pin"/> may have made a signature at <paramref name="signedAt"/>: an
    /// active pin, or a retired one whose validity ended after that time. Otherwise why not, naming
    /// <paramref name="what"/> (the signed thing) and <paramref name="nation"/>.
    /// </summary>
    public string? ProblemAt(string pin, DateTimeOffset signedAt, string what, string nation)
    {
        if (Active.Contains(pin, StringComparer.Ordinal))
        {
            return null;
        }

        if (!_retired.TryGetValue(pin, out var notAfter))
        {
            return $"{what} is signed by a key that is not {nation}'s on the roster (pin {pin})";
        }

        return signedAt < notAfter
            ? null
            : $"{what} is signed at {Time(signedAt)} by a key whose pin {pin} {nation}'s roster retired on {Time(notAfter)}, before it";
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
