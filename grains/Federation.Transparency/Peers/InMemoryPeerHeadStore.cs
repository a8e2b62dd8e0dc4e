namespace Federation.Transparency.Peers;

/// <summary>The peer heads of an embedded nation: in memory, same answers as the PostgreSQL store, gone on restart.</summary>
public sealed class InMemoryPeerHeadStore : IPeerHeadStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (SignedTreeHead Head, long Count, DateTimeOffset At)> _kept = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<PeerHeadFlag>> _flags = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task<SignedTreeHead?> LatestAsync(string peer, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_kept.TryGetValue(peer, out var kept) ? kept.Head : null);
        }
    }

    /// <inheritdoc />
    public Task KeepAsync(string peer, SignedTreeHead head, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(head);
        lock (_gate)
        {
            var count = _kept.TryGetValue(peer, out var kept) ? kept.Count : 0;
            _kept[peer] = (head, count + 1, at);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task FlagAsync(PeerHeadFlag flag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(flag);
        lock (_gate)
        {
            if (!_flags.TryGetValue(flag.Peer, out var flags))
            {
                _flags[flag.Peer] = flags = [];
            }

            // The same offending head found again on a later check is the same evidence.
            if (!flags.Any(f => Same(f.Offending, flag.Offending)))
            {
                flags.Add(flag);
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<PeerLogState>> StatesAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<PeerLogState> states =
            [
                .. _kept.Keys.Union(_flags.Keys).Order(StringComparer.Ordinal).Select(peer =>
                {
                    var has = _kept.TryGetValue(peer, out var kept);
                    var flags = _flags.GetValueOrDefault(peer);
                    DateTimeOffset? at = has ? kept.At : null;
                    if (flags is not null && (at is null || flags[^1].At > at))
                    {
                        at = flags[^1].At;
                    }

                    return new PeerLogState(peer, flags?[0].Status ?? PeerHeadStatus.Consistent, has ? kept.Head : null, has ? kept.Count : 0, at, flags?[0]);
                }),
            ];
            return Task.FromResult(states);
        }
    }

    private static bool Same(SignedTreeHead a, SignedTreeHead b) =>
        a.Head.Size == b.Head.Size && a.Head.Time == b.Head.Time && MerkleHash.Equal(a.Head.Root, b.Head.Root) && a.Signature == b.Signature;
}
