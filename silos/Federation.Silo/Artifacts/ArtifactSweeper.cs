using Microsoft.Extensions.Options;

namespace Federation.Silo.Artifacts;

/// <summary>
/// Sweeps the artifact store at start and every <see cref="ArtifactOptions.SweepInterval"/>: stale
/// partial writes under <c>incoming/</c> and stored bytes that no model version's metadata names
/// (<see cref="ContentStore.SweepAsync"/>). A failed sweep is logged and the next one tries again.
/// </summary>
public sealed partial class ArtifactSweeper(
    ContentStore store,
    IArtifactMetadataStore metadata,
    IOptions<ArtifactOptions> options,
    TimeProvider time,
    ILogger<ArtifactSweeper> logger) : BackgroundService
{
    /// <summary>One sweep now.</summary>
    public async Task<(int Files, long Bytes)> SweepOnceAsync(CancellationToken ct)
    {
        var swept = await store.SweepAsync(async (digest, token) => await metadata.CountAsync(digest, token) > 0, options.Value.SweepStaleAfter, time.GetUtcNow(), ct);
        if (swept.Files > 0)
        {
            LogSwept(logger, swept.Files, swept.Bytes);
        }

        return swept;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, time);
        do
        {
            try
            {
                await SweepOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or Npgsql.NpgsqlException or InvalidOperationException)
            {
                LogSweepFailed(logger, e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(EventId = 7131, Level = LogLevel.Information, Message = "Artifact store swept: {Files} files removed ({Bytes} bytes of stale partial writes and unnamed content)")]
    private static partial void LogSwept(ILogger logger, int files, long bytes);

    [LoggerMessage(EventId = 7132, Level = LogLevel.Warning, Message = "Sweeping the artifact store failed, the next sweep tries again: {Reason}")]
    private static partial void LogSweepFailed(ILogger logger, string reason);
}
