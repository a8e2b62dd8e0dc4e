namespace Federation.Transparency;

/// <summary>
/// A nation's append-only log of decisions and accesses, and the signed heads published over it.
/// Appends that arrive together are written together (one transaction in PostgreSQL); an append's
/// task completes when its entry is durable, with the position it got.
/// </summary>
public interface ITransparencyLog
{
    /// <summary>Appends <paramref name="entry"/>; completes with its row once durable.</summary>
    Task<LoggedEntry> AppendAsync(TransparencyEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Entries in the log.</summary>
    Task<long> SizeAsync(CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="count"/> rows from index <paramref name="start"/> on, in the order the store holds them (by index).</summary>
    Task<IReadOnlyList<LoggedEntry>> ReadAsync(long start, int count, CancellationToken cancellationToken = default);

    /// <summary>The rows that match <paramref name="query"/>, in log order.</summary>
    Task<IReadOnlyList<LoggedEntry>> QueryAsync(TransparencyQuery query, CancellationToken cancellationToken = default);

    /// <summary>The leaf hashes of the first <paramref name="size"/> entries, in order (for proofs).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The log holds fewer entries.</exception>
    Task<IReadOnlyList<byte[]>> LeafHashesAsync(long size, CancellationToken cancellationToken = default);

    /// <summary>
    /// The hashes of those of <paramref name="nodes"/> the store holds: at level 0 the leaf hashes of
    /// the entries, above it the subtree hashes kept by <see cref="AddSubtreeHashesAsync"/>. A node the
    /// store does not hold is left out of the answer.
    /// </summary>
    Task<IReadOnlyDictionary<SubtreeId, byte[]>> SubtreeHashesAsync(IReadOnlyCollection<SubtreeId> nodes, CancellationToken cancellationToken = default);

    /// <summary>
    /// Keeps the hashes of perfect subtrees (level 1 and above) that the caller derived from the
    /// stored leaves, append-only: a node already kept keeps its first hash. They only make proofs
    /// cheaper; <see cref="TransparencyProver"/> checks what it builds from them against signed heads.
    /// </summary>
    /// <exception cref="ArgumentException">A node is at level 0 or outside the subtrees of a log, or a hash is not <see cref="MerkleHash.Size"/> bytes.</exception>
    Task AddSubtreeHashesAsync(IReadOnlyCollection<SubtreeHash> nodes, CancellationToken cancellationToken = default);

    /// <summary>Keeps a signed head; refuses one smaller or older than the latest.</summary>
    /// <exception cref="InvalidOperationException">The head goes backwards in size or time.</exception>
    Task AddHeadAsync(SignedTreeHead head, CancellationToken cancellationToken = default);

    /// <summary>The latest signed head, or null before the first.</summary>
    Task<SignedTreeHead?> LatestHeadAsync(CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="limit"/> signed heads of size at least <paramref name="fromSize"/>, oldest first.</summary>
    Task<IReadOnlyList<SignedTreeHead>> HeadsAsync(long fromSize, int limit, CancellationToken cancellationToken = default);
}
