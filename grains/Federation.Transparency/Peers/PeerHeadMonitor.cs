namespace Federation.Transparency.Peers;

/// <summary>
/// Fetches a peer's latest signed head, checks it (<see cref="PeerHeadChecker"/>) against the peer's
/// roster pins and the head kept before, and keeps it — or keeps both heads as evidence when it fails.
/// A flag stays: later heads are still checked against the last head accepted.
/// </summary>
/// <param name="source">Where the peer's log is read.</param>
/// <param name="store">Where heads and evidence are kept.</param>
/// <param name="time">The clock for when a head was kept or flagged.</param>
public sealed class PeerHeadMonitor(IPeerLogSource source, IPeerHeadStore store, TimeProvider time)
{
    /// <summary>Checks <paramref name="peer"/>'s latest head; transport failures propagate (nothing is concluded from them).</summary>
    public Task<PeerHeadCheck> CheckAsync(string peer, IReadOnlyCollection<string> pins, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pins);
        return CheckAsync(peer, new NationPins(pins), cancellationToken);
    }

    /// <summary>
    /// Checks <paramref name="peer"/>'s latest head against the pins valid at the head's time (a head
    /// signed before a key rotation still verifies with the retired pin); transport failures propagate.
    /// </summary>
    public async Task<PeerHeadCheck> CheckAsync(string peer, NationPins pins, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(peer);
        ArgumentNullException.ThrowIfNull(pins);
        var fresh = await source.LatestHeadAsync(peer, cancellationToken);
        var kept = await store.LatestAsync(peer, cancellationToken);
        if (fresh is null)
        {
            return new PeerHeadCheck(peer, PeerHeadStatus.Unchecked, $"{peer} has signed no tree head yet", null, kept);
        }

        if (PeerHeadChecker.CheckSignature(peer, fresh, pins) is { } bad)
        {
            return await FlagAsync(peer, PeerHeadStatus.BadSignature, bad, kept, fresh, cancellationToken);
        }

        IReadOnlyList<byte[]>? proof = null;
        if (kept is not null && kept.Head.Size > 0 && fresh.Head.Size > kept.Head.Size)
        {
            proof = await source.ConsistencyAsync(peer, kept.Head.Size, fresh.Head.Size, cancellationToken);
        }

        var (status, reason) = PeerHeadChecker.CheckSuccessor(kept, fresh, proof);
        if (status != PeerHeadStatus.Consistent)
        {
            return await FlagAsync(peer, status, reason!, kept, fresh, cancellationToken);
        }

        if (kept is null || fresh.Head.Size > kept.Head.Size)
        {
            await store.KeepAsync(peer, fresh, time.GetUtcNow(), cancellationToken);
        }

        return new PeerHeadCheck(peer, PeerHeadStatus.Consistent, null, fresh, kept);
    }

    private async Task<PeerHeadCheck> FlagAsync(string peer, PeerHeadStatus status, string reason, SignedTreeHead? kept, SignedTreeHead fresh, CancellationToken cancellationToken)
    {
        await store.FlagAsync(new PeerHeadFlag(peer, status, reason, kept, fresh, time.GetUtcNow()), cancellationToken);
        return new PeerHeadCheck(peer, status, reason, fresh, kept);
    }
}
