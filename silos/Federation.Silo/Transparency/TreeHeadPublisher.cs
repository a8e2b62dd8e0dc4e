using Federation.Transparency;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Transparency;

/// <summary>
/// Signs and keeps a new tree head every <see cref="TransparencyOptions.HeadInterval"/> when the log
/// grew since the last head (RFC 9162 section 4.10: no more heads than needed). The root is kept
/// incrementally in a <see cref="CompactRange"/>, fed with the leaf hashes of the new entries only;
/// the perfect subtrees those leaves complete are kept in the log before the head is signed, so that
/// proofs need O(log n) reads (<see cref="TransparencyProver"/>).
/// </summary>
public sealed partial class TreeHeadPublisher(
    ITransparencyLog log,
    TreeHeadSigner signer,
    TimeProvider time,
    IOptions<TransparencyOptions> options,
    ILogger<TreeHeadPublisher> logger) : BackgroundService
{
    private const int ReadBatch = 1000;
    private readonly CompactRange _range = new();

    /// <summary>Publishes a head now if the log grew; returns the head kept, or null when there was nothing new.</summary>
    public async Task<SignedTreeHead?> PublishAsync(CancellationToken cancellationToken)
    {
        var size = await log.SizeAsync(cancellationToken);
        var latest = await log.LatestHeadAsync(cancellationToken);
        if (size == 0 || (latest is not null && latest.Head.Size >= size))
        {
            return null;
        }

        while (_range.Size < size)
        {
            var rows = await log.ReadAsync(_range.Size, (int)Math.Min(ReadBatch, size - _range.Size), cancellationToken);
            if (rows.Count == 0 || rows[0].Index != _range.Size)
            {
                throw new InvalidOperationException($"The log has no entry {_range.Size} although it holds {size}: it is not contiguous.");
            }

            var completed = new List<SubtreeHash>();
            foreach (var row in rows)
            {
                _range.Append(row.LeafHash, completed);
            }

            if (completed.Count > 0)
            {
                await log.AddSubtreeHashesAsync(completed, cancellationToken);
            }
        }

        var now = time.GetUtcNow();
        if (latest is not null && now <= latest.Head.Time)
        {
            now = latest.Head.Time.AddMilliseconds(1);
        }

        var head = signer.Sign(_range.Size, _range.Root(), now);
        await log.AddHeadAsync(head, cancellationToken);
        LogPublished(logger, head.Head.Size, head.Head.RootHex);
        return head;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.HeadInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await PublishAsync(stoppingToken);
            }
            catch (Exception e) when (e is InvalidOperationException or Npgsql.NpgsqlException or TimeoutException)
            {
                // Another silo of the nation may have published a larger head first; the next tick catches up.
                LogPublishFailed(logger, e.Message);
            }
        }
    }

    [LoggerMessage(EventId = 6102, Level = LogLevel.Debug, Message = "Transparency log: signed tree head at size {Size}, root {Root}")]
    private static partial void LogPublished(ILogger logger, long size, string root);

    [LoggerMessage(EventId = 6103, Level = LogLevel.Warning, Message = "Transparency log: no tree head published this time: {Reason}")]
    private static partial void LogPublishFailed(ILogger logger, string reason);
}
