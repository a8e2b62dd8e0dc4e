using Federation.Silo.Options;
using Federation.Silo.Postgres;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Hosting;

/// <summary>
/// Runs before the Orleans silo starts: applies migrations when <c>MigrateOnStart</c> is set,
/// otherwise refuses to start on a schema older than this build, saying which command fixes it.
/// </summary>
public sealed partial class SchemaGate(SchemaMigrator migrator, IOptions<FederationOptions> options, ILogger<SchemaGate> logger) : IHostedService
{
    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Postgres.MigrateOnStart)
        {
            var report = await migrator.MigrateAsync(cancellationToken);
            LogMigrated(logger, report.CurrentVersion, report.Applied.Count);
            return;
        }

        var current = await migrator.VerifyAsync(cancellationToken);
        if (current < migrator.LatestVersion)
        {
            throw new InvalidOperationException(
                $"The database schema is at version {current} but this build needs {migrator.LatestVersion}. " +
                "Run 'dotnet Federation.Silo.dll migrate' (same configuration) or set Federation:Postgres:MigrateOnStart=true.");
        }
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Schema at version {Version} ({Applied} migrations applied now)")]
    private static partial void LogMigrated(ILogger logger, int version, int applied);
}
