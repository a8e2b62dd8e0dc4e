using Federation.Transparency;

namespace Federation.Unit.Tests.Transparency;

/// <summary>A log that counts the hashes a prover reads from it, and refuses the O(n) read of every leaf hash unless allowed.</summary>
internal sealed class CountingTransparencyLog(ITransparencyLog inner) : ITransparencyLog
{
    /// <summary>Nodes asked of <see cref="SubtreeHashesAsync"/> since the last <see cref="Reset"/>.</summary>
    public int NodesRead { get; private set; }

    /// <summary>Rows read with <see cref="ReadAsync"/> since the last <see cref="Reset"/>.</summary>
    public int RowsRead { get; private set; }

    /// <summary>Calls of <see cref="LeafHashesAsync"/> since the last <see cref="Reset"/>.</summary>
    public int FullReads { get; private set; }

    public void Reset() => (NodesRead, RowsRead, FullReads) = (0, 0, 0);

    public Task<LoggedEntry> AppendAsync(TransparencyEntry entry, CancellationToken cancellationToken = default) => inner.AppendAsync(entry, cancellationToken);

    public Task<long> SizeAsync(CancellationToken cancellationToken = default) => inner.SizeAsync(cancellationToken);

    public async Task<IReadOnlyList<LoggedEntry>> ReadAsync(long start, int count, CancellationToken cancellationToken = default)
    {
        var rows = await inner.ReadAsync(start, count, cancellationToken);
        RowsRead += rows.Count;
        return rows;
    }

    public Task<IReadOnlyList<LoggedEntry>> QueryAsync(TransparencyQuery query, CancellationToken cancellationToken = default) => inner.QueryAsync(query, cancellationToken);

    public Task<IReadOnlyList<byte[]>> LeafHashesAsync(long size, CancellationToken cancellationToken = default)
    {
        FullReads++;
        return inner.LeafHashesAsync(size, cancellationToken);
    }

    public Task<IReadOnlyDictionary<SubtreeId, byte[]>> SubtreeHashesAsync(IReadOnlyCollection<SubtreeId> nodes, CancellationToken cancellationToken = default)
    {
        NodesRead += nodes.Count;
        return inner.SubtreeHashesAsync(nodes, cancellationToken);
    }

    public Task AddSubtreeHashesAsync(IReadOnlyCollection<SubtreeHash> nodes, CancellationToken cancellationToken = default) => inner.AddSubtreeHashesAsync(nodes, cancellationToken);

    public Task AddHeadAsync(SignedTreeHead head, CancellationToken cancellationToken = default) => inner.AddHeadAsync(head, cancellationToken);

    public Task<SignedTreeHead?> LatestHeadAsync(CancellationToken cancellationToken = default) => inner.LatestHeadAsync(cancellationToken);

    public Task<IReadOnlyList<SignedTreeHead>> HeadsAsync(long fromSize, int limit, CancellationToken cancellationToken = default) => inner.HeadsAsync(fromSize, limit, cancellationToken);
}
