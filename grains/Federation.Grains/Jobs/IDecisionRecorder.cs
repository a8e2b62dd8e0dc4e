using Federation.Transparency;

namespace Federation.Grains.Jobs;

/// <summary>
/// Puts a decision into the nation's transparency log from a grain: the silo's recorder stamps the
/// time and keeps a person's identifier only as its HMAC digest. The append is issued when the call
/// is made (before its first await), so that, inside an <see cref="IWriteGrouping"/>, it rides the
/// same commit as the state write issued with it. A silo without a log registers none.
/// </summary>
public interface IDecisionRecorder
{
    /// <summary>Appends an entry of <paramref name="kind"/>; <paramref name="subject"/> is a person's identifier, kept only as its digest.</summary>
    /// <returns>The row, or null when the append failed (the recorder logged why; the decision stands).</returns>
    Task<LoggedEntry?> RecordAsync(
        TransparencyEntryKind kind,
        string? job = null,
        string? dataset = null,
        string? peer = null,
        string? rule = null,
        string? subject = null,
        IEnumerable<KeyValuePair<string, string>>? detail = null,
        CancellationToken cancellationToken = default);
}
