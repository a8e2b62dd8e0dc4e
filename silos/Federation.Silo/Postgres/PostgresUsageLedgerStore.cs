using System.Collections.Immutable;
using System.Text.Json;
using Federation.Contracts.Jobs;
using Federation.Contracts.Json;
using Federation.Lifecycle.Shares;
using Federation.Protocol.Usage;
using Federation.Silo.Shares;
using Npgsql;
using NpgsqlTypes;

namespace Federation.Silo.Postgres;

/// <summary>The usage ledger in PostgreSQL (tables <c>usage_charge</c> and <c>usage_report</c> of migrations <c>0013_usage_ledger.sql</c>, <c>0014_usage_ledger_release.sql</c> and <c>0015_usage_ledger_settled.sql</c>).</summary>
/// <remarks>
/// Charges and releases go through the silo's <see cref="CommitPipeline"/> (<see cref="UsageLedgerCommitTable"/>): a charge
/// issued with its admission's state write commits in the same transaction, and concurrent ones share a transaction.
/// </remarks>
/// <param name="dataSource">The nation's database (migrated).</param>
/// <param name="pipeline">The silo's commit pipeline; null for one of its own on <paramref name="dataSource"/>.</param>
public sealed class PostgresUsageLedgerStore(NpgsqlDataSource dataSource, CommitPipeline? pipeline = null) : IUsageLedgerStore
{

    private const string ReportSql = """
        INSERT INTO usage_report (nation, sequence, period_from, period_to, lines, signer_key, signature, received_at)
        VALUES (@nation, @sequence, @from, @to, @lines, @key, @signature, @at)
        ON CONFLICT (nation, sequence) DO NOTHING
        """;

    private readonly CommitPipeline _pipeline = pipeline ?? new CommitPipeline(dataSource);
    private readonly UsageLedgerCommitTable _table = new();

    // Reports spread a charge over its walltime, released or not (LedgerPruning.Drops).
    private const string PruneChargesSql = """
        DELETE FROM usage_charge WHERE charged_at < @charged_before AND ends_by < @ended_before
        """;

    // Each nation's latest report stays: its sequence and period are the replay fence.
    private const string PruneReportsSql = """
        DELETE FROM usage_report r
        WHERE r.period_to < @reported_before AND r.sequence < (SELECT max(l.sequence) FROM usage_report l WHERE l.nation = r.nation)
        """;

    /// <inheritdoc />
    public Task<(IReadOnlyList<StoredCharge> Charges, IReadOnlyList<UsageReport> Reports)> LoadAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(null, cancellationToken);

    /// <inheritdoc />
    public Task<(IReadOnlyList<StoredCharge> Charges, IReadOnlyList<UsageReport> Reports)> ChangedSinceAsync(DateTimeOffset since, CancellationToken cancellationToken = default) =>
        ReadAsync(since, cancellationToken);

    private async Task<(IReadOnlyList<StoredCharge> Charges, IReadOnlyList<UsageReport> Reports)> ReadAsync(DateTimeOffset? since, CancellationToken cancellationToken)
    {
        var charges = new List<StoredCharge>();
        await using (var command = dataSource.CreateCommand(
            "SELECT charge_key, origin, consortium, tier, hours, accelerators, user_name, course, borrowed, charged_at, ends_by, released_at, used_hours FROM usage_charge"
            + (since is null ? "" : " WHERE charged_at >= @since OR released_at >= @since") + " ORDER BY charged_at, charge_key"))
        {
            if (since is { } from)
            {
                command.Parameters.AddWithValue("since", from);
            }

            await ReadChargesAsync(command, charges, cancellationToken);
        }

        var reports = new List<UsageReport>();
        await using (var command = dataSource.CreateCommand("SELECT nation, sequence, period_from, period_to, lines::text FROM usage_report"
            + (since is null ? "" : " WHERE received_at >= @since") + " ORDER BY nation, sequence"))
        {
            if (since is { } from)
            {
                command.Parameters.AddWithValue("since", from);
            }

            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var lines = JsonSerializer.Deserialize<ImmutableArray<UsageReportLine>>(reader.GetString(4), FederationJson.Options);
                reports.Add(new UsageReport(reader.GetString(0), reader.GetInt64(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetFieldValue<DateTimeOffset>(3), lines));
            }
        }

        return (charges, reports);
    }

    private static async Task ReadChargesAsync(NpgsqlCommand command, List<StoredCharge> charges, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var tier = Enum.TryParse<JobTier>(reader.GetString(3), out var t) ? t : JobTier.Standard;
            var charge = new UsageCharge(reader.GetString(0), new UsageAccount(reader.GetString(1), reader.GetString(2), tier), reader.GetDouble(4), reader.GetInt32(5),
                reader.GetFieldValue<DateTimeOffset>(9), reader.GetFieldValue<DateTimeOffset>(10));
            charges.Add(new StoredCharge(charge, reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7), reader.GetBoolean(8),
                reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11), reader.IsDBNull(12) ? null : reader.GetDouble(12)));
        }
    }

    /// <inheritdoc />
    public Task<bool> ChargeAsync(StoredCharge charge, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(charge);
        return _pipeline.WriteAsync<bool>(_table, charge);
    }

    /// <inheritdoc />
    public async Task<bool> KeepReportAsync(SignedUsageReport report, DateTimeOffset receivedAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        var r = report.Report;
        await using var command = dataSource.CreateCommand(ReportSql);
        command.Parameters.Add(new NpgsqlParameter<string>("nation", NpgsqlDbType.Text) { TypedValue = r.Nation });
        command.Parameters.Add(new NpgsqlParameter<long>("sequence", NpgsqlDbType.Bigint) { TypedValue = r.Sequence });
        command.Parameters.Add(new NpgsqlParameter<DateTime>("from", NpgsqlDbType.TimestampTz) { TypedValue = r.From.UtcDateTime });
        command.Parameters.Add(new NpgsqlParameter<DateTime>("to", NpgsqlDbType.TimestampTz) { TypedValue = r.To.UtcDateTime });
        command.Parameters.Add(new NpgsqlParameter<string>("lines", NpgsqlDbType.Jsonb) { TypedValue = JsonSerializer.Serialize(r.Lines, FederationJson.Options) });
        command.Parameters.Add(new NpgsqlParameter<string>("key", NpgsqlDbType.Text) { TypedValue = report.SignerKey });
        command.Parameters.Add(new NpgsqlParameter<string>("signature", NpgsqlDbType.Text) { TypedValue = report.Signature });
        command.Parameters.Add(new NpgsqlParameter<DateTime>("at", NpgsqlDbType.TimestampTz) { TypedValue = receivedAt.UtcDateTime });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <inheritdoc />
    public Task<UsageRelease?> ReleaseAsync(string key, DateTimeOffset at, double? usedHours = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _pipeline.WriteAsync<UsageRelease?>(_table, new UsageRelease(key, at, usedHours));
    }

    /// <inheritdoc />
    public async Task<(int Charges, int Reports)> PruneAsync(LedgerPruneCutoffs cutoffs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cutoffs);
        int charges;
        await using (var command = dataSource.CreateCommand(PruneChargesSql))
        {
            command.Parameters.Add(new NpgsqlParameter<DateTime>("charged_before", NpgsqlDbType.TimestampTz) { TypedValue = cutoffs.ChargedBefore.UtcDateTime });
            command.Parameters.Add(new NpgsqlParameter<DateTime>("ended_before", NpgsqlDbType.TimestampTz) { TypedValue = cutoffs.EndedBefore.UtcDateTime });
            charges = await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var command = dataSource.CreateCommand(PruneReportsSql))
        {
            command.Parameters.Add(new NpgsqlParameter<DateTime>("reported_before", NpgsqlDbType.TimestampTz) { TypedValue = cutoffs.ReportedBefore.UtcDateTime });
            return (charges, await command.ExecuteNonQueryAsync(cancellationToken));
        }
    }
}
