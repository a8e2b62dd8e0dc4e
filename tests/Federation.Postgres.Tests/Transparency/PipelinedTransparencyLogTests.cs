using Federation.Grains.Jobs.Leases;
using Federation.Postgres.Tests.Fixtures;
using Federation.Silo.Postgres;
using Federation.Transparency;

namespace Federation.Postgres.Tests.Transparency;

/// <summary>
/// The transparency log riding the silo's commit pipeline: the whole log contract again, plus what
/// the pipeline adds: an append issued with other writes in one grouping is one transaction with
/// them, the database writes the very bytes and leaf hashes the log's encoding gives, and positions
/// stay contiguous when two silos append at once, through pipelines or not. Each test empties the tables.
/// </summary>
public sealed class PipelinedTransparencyLogTests(MigratedDatabase database) : TransparencyLogContractTests, IClassFixture<MigratedDatabase>
{
    private static readonly DateTimeOffset s_due = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    private CommitPipeline _pipeline = null!;
    private PostgresTransparencyLog? _postgres;

    protected override async ValueTask<ITransparencyLog> CreateEmptyLogAsync()
    {
        await using (var command = database.DataSource.CreateCommand("ALTER TABLE transparency_entry DISABLE TRIGGER USER; ALTER TABLE transparency_head DISABLE TRIGGER USER; TRUNCATE transparency_entry, transparency_head; ALTER TABLE transparency_entry ENABLE TRIGGER USER; ALTER TABLE transparency_head ENABLE TRIGGER USER; DELETE FROM lease"))
        {
            await command.ExecuteNonQueryAsync(Ct);
        }

        _pipeline = new CommitPipeline(database.DataSource);
        return _postgres = new PostgresTransparencyLog(database.DataSource, _pipeline);
    }

    [Fact]
    public async Task AppendIssuedWithALeaseWriteInOneGrouping_IsOneTransactionWithIt()
    {
        var leases = new PostgresLeaseIndex(database.DataSource, _pipeline);
        await Log.AppendAsync(Admission(0), Ct);
        var before = _pipeline.Writes.Transactions;

        Task<LoggedEntry> appended;
        Task lease;
        using (_pipeline.Together())
        {
            lease = leases.SetAsync(LeaseKey.Job("FR/grouped"), s_due, Ct);
            appended = Log.AppendAsync(Admission(1), Ct);
        }

        await Task.WhenAll(appended, lease);

        Assert.Equal(1, (await appended).Index);
        Assert.Equal(before + 1, _pipeline.Writes.Transactions);
        Assert.Equal((2L, 2L), _postgres!.PipelineWrites);
        Assert.Equal(0, _postgres.Appends.Transactions);
        Assert.Equal([0L, 1], (await Log.ReadAsync(0, 10, Ct)).Select(r => r.Index));
    }

    [Fact]
    public async Task TwoSilosPipelinesAppendingAtOnce_PositionsStayContiguous()
    {
        var other = new PostgresTransparencyLog(database.DataSource, new CommitPipeline(database.DataSource));
        await Log.AppendAsync(Admission(0), Ct);
        await other.AppendAsync(Admission(1), Ct);

        await Task.WhenAll(Enumerable.Range(2, 300).Select(i => (i % 2 == 0 ? Log : other).AppendAsync(Admission(i), Ct)));

        var rows = await Log.ReadAsync(0, 1000, Ct);
        Assert.Equal(Enumerable.Range(0, 302).Select(i => (long)i), rows.Select(r => r.Index));
        Assert.All(rows, r => Assert.Equal(r.Index, TransparencyEntryEncoding.Decode(r.Bytes).Index));
        Assert.True(_postgres!.PipelineWrites.Items > 0, "no append rode the pipeline");
    }

    [Fact]
    public async Task AppendsAfterAnotherSilosOwnPath_GoAfterItsEntries_WithTheEncodingsBytesAndLeafHashes()
    {
        var other = new PostgresTransparencyLog(database.DataSource);
        await Log.AppendAsync(Admission(0), Ct);
        await other.AppendAsync(Admission(1), Ct);

        var appended = await Task.WhenAll(Log.AppendAsync(Admission(2), Ct), Log.AppendAsync(Admission(3), Ct));

        Assert.Equal([2L, 3], appended.Select(a => a.Index).Order());
        var rows = await Log.ReadAsync(0, 10, Ct);
        Assert.Equal([0L, 1, 2, 3], rows.Select(r => r.Index));

        // The two appends at once may take positions 2 and 3 in either order: each row is the entry appended there.
        var appendedAt = new Dictionary<long, int> { [0] = 0, [1] = 1, [appended[0].Index] = 2, [appended[1].Index] = 3 };
        foreach (var row in rows)
        {
            var expected = LoggedEntry.Of(row.Index, Admission(appendedAt[row.Index]));
            Assert.Equal(expected.Bytes, row.Bytes);
            Assert.Equal(expected.LeafHash, row.LeafHash);
        }

        Assert.Equal(0, _postgres!.Appends.Transactions);
        Assert.Equal(3L, _postgres.PipelineWrites.Items);
    }

    [Fact]
    public void Split_BeforeDigitsAfter_IsTheEncodingAtThatPosition()
    {
        var (before, after) = TransparencyCommitTable.Split(Admission(7));

        byte[] joined = [.. before, .. "12345"u8.ToArray(), .. after];
        Assert.Equal(TransparencyEntryEncoding.Encode(12345, Admission(7)), joined);
    }
}
