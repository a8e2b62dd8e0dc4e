namespace Federation.Transparency.Peers;

/// <summary>The heads a nation fetched from its peers and kept, and the evidence of any that contradicted them.</summary>
public interface IPeerHeadStore
{
    /// <summary>The latest head accepted from <paramref name="peer"/>, or null.</summary>
    Task<SignedTreeHead?> LatestAsync(string peer, CancellationToken cancellationToken = default);

    /// <summary>Keeps <paramref name="head"/> as the latest accepted from <paramref name="peer"/> (checked by the caller).</summary>
    Task KeepAsync(string peer, SignedTreeHead head, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Keeps the evidence of <paramref name="flag"/> (both heads).</summary>
    Task FlagAsync(PeerHeadFlag flag, CancellationToken cancellationToken = default);

    /// <summary>Every peer this nation kept a head or a flag for, by nation code.</summary>
    Task<IReadOnlyList<PeerLogState>> StatesAsync(CancellationToken cancellationToken = default);
}
