using Federation.Transparency;

namespace Federation.Silo.Transparency;

/// <summary>
/// The log with appends dropped (<see cref="TransparencyOptions.Record"/> false), so that the cost of
/// recording can be measured against a run without it. Every read goes to the real log, which keeps
/// what it held; an append encodes and hashes its entry (as a real one would) and returns it without
/// storing it, with a negative <see cref="LoggedEntry.Index"/> (-1, -2, ...) so that it can never be
/// taken for an entry of the real log.
/// </summary>
public sealed class DiscardingTransparencyLog(ITransparencyLog inner) : ITransparencyLog
{
    private long _dropped;

    /// <summary>Entries dropped since the start.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <inheritdoc />
    public Task<LoggedEntry> AppendAsync(TransparencyEntry entry, CancellationToken cancellationToken = default) =>
        Task.FromResult(LoggedEntry.Of(0, entry) with { Index = -Interlocked.Increment(ref _dropped) });

    /// <inheritdoc />
    public Task<long> SizeAsync(CancellationToken cancellationToken = default) => inner.SizeAsync(cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<LoggedEntry>> ReadAsync(long start, int count, CancellationToken cancellationToken = default) => inner.ReadAsync(start, count, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<LoggedEntry>> QueryAsync(TransparencyQuery query, CancellationToken cancellationToken = default) => inner.QueryAsync(query, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<byte[]>> LeafHashesAsync(long size, CancellationToken cancellationToken = default) => inner.LeafHashesAsync(size, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<SubtreeId, byte[]>> SubtreeHashesAsync(IReadOnlyCollection<SubtreeId> nodes, CancellationToken cancellationToken = default) =>
        inner.SubtreeHashesAsync(nodes, cancellationToken);

    /// <inheritdoc />
    public Task AddSubtreeHashesAsync(IReadOnlyCollection<SubtreeHash> nodes, CancellationToken cancellationToken = default) => inner.AddSubtreeHashesAsync(nodes, cancellationToken);

    /// <inheritdoc />
    public Task AddHeadAsync(SignedTreeHead head, CancellationToken cancellationToken = default) => inner.AddHeadAsync(head, cancellationToken);

    /// <inheritdoc />
    public Task<SignedTreeHead?> LatestHeadAsync(CancellationToken cancellationToken = default) => inner.LatestHeadAsync(cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<SignedTreeHead>> HeadsAsync(long fromSize, int limit, CancellationToken cancellationToken = default) => inner.HeadsAsync(fromSize, limit, cancellationToken);
}
