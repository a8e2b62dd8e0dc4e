using Federation.Transparency;
using Federation.Transparency.Peers;

namespace Federation.Testing;

/// <summary>A peer's log read in-process (its store and prover), standing in for its federation API in tests.</summary>
/// <param name="log">The peer's log.</param>
public sealed class LocalPeerLogSource(ITransparencyLog log) : IPeerLogSource
{
    /// <inheritdoc />
    public Task<SignedTreeHead?> LatestHeadAsync(string peer, CancellationToken cancellationToken = default) => log.LatestHeadAsync(cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<byte[]>> ConsistencyAsync(string peer, long first, long second, CancellationToken cancellationToken = default) =>
        new TransparencyProver(log).ConsistencyAsync(first, second, cancellationToken);

    /// <inheritdoc />
    public async Task<PeerInclusion> InclusionAsync(string peer, long index, long? size, CancellationToken cancellationToken = default)
    {
        var treeSize = size ?? (await log.LatestHeadAsync(cancellationToken))?.Head.Size ?? 0;
        var (entry, proof) = await new TransparencyProver(log).InclusionAsync(index, treeSize, cancellationToken);
        var head = (await log.HeadsAsync(treeSize, 1, cancellationToken)).FirstOrDefault(h => h.Head.Size == treeSize);
        return new PeerInclusion(treeSize, entry, proof, head);
    }
}
