using Federation.Grains.Jobs.Leases;
using Federation.Postgres.Tests.Fixtures;
using Federation.Silo.Postgres;
using static Federation.Postgres.Tests.Jobs.JobRecords;

namespace Federation.Postgres.Tests.Pipeline;

/// <summary>
/// The silo's commit pipeline: writes of different tables (the job read model, the lease index)
/// issued together share transactions, and a write the server refuses for good fails (or is
/// dead-lettered for) only its own caller while the rest of its transaction is stored.
/// </summary>
public sealed class CommitPipelineTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    private static readonly DateTimeOffset s_due = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ReadModelAndLeaseWritesIssuedTogether_ShareTransactions()
    {
        var pipeline = new CommitPipeline(database.DataSource);
        var jobs = new PostgresJobIndex(database.DataSource, pipeline: pipeline);
        var leases = new PostgresLeaseIndex(database.DataSource, pipeline);

        await Task.WhenAll(Enumerable.Range(0, 200).SelectMany(i => new[]
        {
            jobs.UpsertAsync(Job($"shared-{i:D3}"), Ct),
            leases.SetAsync(LeaseKey.Job($"FR/shared-{i:D3}"), s_due, Ct),
        }));

        Assert.Equal(200L, await CountAsync("SELECT count(*) FROM job WHERE id LIKE 'FR/shared-%'"));
        Assert.Equal(200L, await CountAsync("SELECT count(*) FROM lease WHERE key LIKE 'FR/shared-%'"));
        var (upserts, withUpserts) = pipeline.CountsOf(jobs);
        var (leaseWrites, withLeases) = pipeline.CountsOf(leases);
        Assert.Equal((200L, 200L), (upserts, leaseWrites));
        Assert.True(pipeline.Writes.Transactions < 400 / 4, $"{pipeline.Writes.Transactions} transactions for 400 writes");
        Assert.True(withUpserts + withLeases > pipeline.Writes.Transactions,
            $"no transaction held both kinds: {withUpserts} with upserts, {withLeases} with lease writes, {pipeline.Writes.Transactions} in all");
    }

    [Fact]
    public async Task UpsertRefusedForGood_AmongLeaseWrites_OnlyItIsDeadLetteredAndTheRestStored()
    {
        var pipeline = new CommitPipeline(database.DataSource);
        var jobs = new PostgresJobIndex(database.DataSource, pipeline: pipeline);
        var leases = new PostgresLeaseIndex(database.DataSource, pipeline);

        // Queued together: the refused upsert must not take the lease writes down.
        var writes = Enumerable.Range(0, 20).Select(i => leases.SetAsync(LeaseKey.Job($"FR/mixed-{i:D2}"), s_due, Ct)).ToList();
        writes.Insert(10, jobs.UpsertAsync(Job("mixed-poisoned", reason: "bad\u0000reason"), Ct));
        writes.Add(jobs.UpsertAsync(Job("mixed-healthy"), Ct));
        await Task.WhenAll(writes);

        Assert.Equal(20L, await CountAsync("SELECT count(*) FROM lease WHERE key LIKE 'FR/mixed-%'"));
        Assert.Equal(1L, await CountAsync("SELECT count(*) FROM job WHERE id LIKE 'FR/mixed-%'"));
        Assert.Equal(1L, await CountAsync("SELECT count(*) FROM read_model_dead_letter WHERE key = 'FR/mixed-poisoned'"));
        Assert.Equal(1, jobs.DeadLettered);
    }

    [Fact]
    public async Task LeaseWriteRefused_FailsOnlyItsCaller()
    {
        var pipeline = new CommitPipeline(database.DataSource);
        var jobs = new PostgresJobIndex(database.DataSource, pipeline: pipeline);
        var refusing = new RefusingTable();

        var stored = jobs.UpsertAsync(Job("beside-refused"), Ct);
        var refused = pipeline.WriteAsync<bool>(refusing, "anything");
        await stored;
        var error = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => refused);

        Assert.Equal("22012", error.SqlState);
        Assert.Equal(1L, await CountAsync("SELECT count(*) FROM job WHERE id = 'FR/beside-refused'"));
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }

    /// <summary>A table whose one statement always fails (division by zero, SQLSTATE 22012).</summary>
    private sealed class RefusingTable : ICommitTable
    {
        public string Name => "refusing";

        public int Order => 30;

        public Func<Npgsql.NpgsqlDataReader, Task<IReadOnlyList<object?>>> AddCommands(Npgsql.NpgsqlBatch batch, IReadOnlyList<object> items)
        {
            batch.BatchCommands.Add(new Npgsql.NpgsqlBatchCommand("UPDATE lease SET due = due WHERE 1 / 0 = 1"));
            IReadOnlyList<object?> answers = [.. items.Select(_ => (object?)true)];
            return _ => Task.FromResult(answers);
        }

        public Task<object?> RefusedAsync(object item, Npgsql.PostgresException refusal) => Task.FromException<object?>(refusal);
    }
}
