namespace Federation.Transparency.Peers;

/// <summary>The wire names of <see cref="PeerHeadStatus"/> (durable: stored in PostgreSQL and shown by the API).</summary>
public static class PeerHeadStatuses
{
    /// <summary>The name of <paramref name="status"/>.</summary>
    public static string Name(PeerHeadStatus status) => status switch
    {
        PeerHeadStatus.Unchecked => "unchecked",
        PeerHeadStatus.Consistent => "consistent",
        PeerHeadStatus.BadSignature => "bad-signature",
        PeerHeadStatus.Truncated => "truncated",
        PeerHeadStatus.Inconsistent => "inconsistent",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Not a peer head status."),
    };

    /// <summary>The status named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">Not a status name.</exception>
    public static PeerHeadStatus Parse(string name) => name switch
    {
        "unchecked" => PeerHeadStatus.Unchecked,
        "consistent" => PeerHeadStatus.Consistent,
        "bad-signature" => PeerHeadStatus.BadSignature,
        "truncated" => PeerHeadStatus.Truncated,
        "inconsistent" => PeerHeadStatus.Inconsistent,
        _ => throw new ArgumentException($"'{name}' is not a peer head status.", nameof(name)),
    };
}
