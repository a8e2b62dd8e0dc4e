namespace Federation.Transparency;

/// <summary>The log of an embedded nation: in memory, same semantics as the PostgreSQL one, gone on restart.</summary>
public sealed class InMemoryTransparencyLog : ITransparencyLog
{
    private readonly Lock _gate = new();
    private readonly List<LoggedEntry> _entries = [];
    private readonly List<SignedTreeHead> _heads = [];
    private readonly Dictionary<SubtreeId, byte[]> _subtrees = [];

    /// <inheritdoc />
    public Task<LoggedEntry> AppendAsync(TransparencyEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_gate)
        {
            var row = LoggedEntry.Of(_entries.Count, entry);
            _entries.Add(row);
            return Task.FromResult(row);
        }
    }

    /// <inheritdoc />
    public Task<long> SizeAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult((long)_entries.Count);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<LoggedEntry>> ReadAsync(long start, int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_gate)
        {
            IReadOnlyList<LoggedEntry> rows = [.. _entries.Skip((int)Math.Min(start, _entries.Count)).Take(count)];
            return Task.FromResult(rows);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<LoggedEntry>> QueryAsync(TransparencyQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(query));
        }

        lock (_gate)
        {
            IReadOnlyList<LoggedEntry> rows =
            [
                .. _entries.Skip((int)Math.Min(query.From, _entries.Count))
                    .Where(r => query.Matches(r.Index, TransparencyEntryEncoding.Decode(r.Bytes).Entry))
                    .Take(query.Limit),
            ];
            return Task.FromResult(rows);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<byte[]>> LeafHashesAsync(long size, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (size < 0 || size > _entries.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(size), size, $"The log holds {_entries.Count} entries.");
            }

            IReadOnlyList<byte[]> hashes = [.. _entries.Take((int)size).Select(e => e.LeafHash)];
            return Task.FromResult(hashes);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<SubtreeId, byte[]>> SubtreeHashesAsync(IReadOnlyCollection<SubtreeId> nodes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var found = new Dictionary<SubtreeId, byte[]>();
        lock (_gate)
        {
            foreach (var node in nodes)
            {
                if (node.Level == 0 && node.Index >= 0 && node.Index < _entries.Count)
                {
                    found[node] = _entries[(int)node.Index].LeafHash;
                }
                else if (node.Level > 0 && _subtrees.TryGetValue(node, out var hash))
                {
                    found[node] = hash;
                }
            }
        }

        return Task.FromResult<IReadOnlyDictionary<SubtreeId, byte[]>>(found);
    }

    /// <inheritdoc />
    public Task AddSubtreeHashesAsync(IReadOnlyCollection<SubtreeHash> nodes, CancellationToken cancellationToken = default)
    {
        SubtreeHashes.Check(nodes);
        lock (_gate)
        {
            foreach (var node in nodes)
            {
                _subtrees.TryAdd(node.Node, (byte[])node.Hash.Clone());
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task AddHeadAsync(SignedTreeHead head, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(head);
        lock (_gate)
        {
            if (_heads.Count > 0 && (head.Head.Size < _heads[^1].Head.Size || head.Head.Time <= _heads[^1].Head.Time))
            {
                throw new InvalidOperationException($"A tree head of size {head.Head.Size} at {head.Head.Time:O} goes back from the latest ({_heads[^1].Head.Size} at {_heads[^1].Head.Time:O}).");
            }

            _heads.Add(head);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<SignedTreeHead?> LatestHeadAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_heads.Count == 0 ? null : _heads[^1]);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<SignedTreeHead>> HeadsAsync(long fromSize, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        lock (_gate)
        {
            IReadOnlyList<SignedTreeHead> heads = [.. _heads.Where(h => h.Head.Size >= fromSize).Take(limit)];
            return Task.FromResult(heads);
        }
    }
}
