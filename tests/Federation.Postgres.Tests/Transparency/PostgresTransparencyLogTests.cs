using System.Security.Cryptography.X509Certificates;
using Federation.Postgres.Tests.Fixtures;
using Federation.Protocol;
using Federation.Silo.Postgres;
using Federation.Transparency;
using Npgsql;

namespace Federation.Postgres.Tests.Transparency;

/// <summary>
/// The transparency log contract against PostgreSQL, on a database of its own for this class, plus
/// what only the tables can get wrong: appends share transactions, the tables refuse changes, and an
/// owner who switches the triggers off and edits, deletes, reorders or truncates rows is caught by
/// the auditor against the signed heads, with the first bad entry named. Each test empties the tables.
/// </summary>
public sealed class PostgresTransparencyLogTests(MigratedDatabase database) : TransparencyLogContractTests, IClassFixture<MigratedDatabase>, IDisposable
{
    private readonly X509Certificate2 _fr = NationCertificates.Create("FR");
    private PostgresTransparencyLog? _postgres;

    public void Dispose() => _fr.Dispose();

    protected override async ValueTask<ITransparencyLog> CreateEmptyLogAsync()
    {
        await ExecuteAsync("ALTER TABLE transparency_entry DISABLE TRIGGER USER; ALTER TABLE transparency_head DISABLE TRIGGER USER; TRUNCATE transparency_entry, transparency_head; ALTER TABLE transparency_entry ENABLE TRIGGER USER; ALTER TABLE transparency_head ENABLE TRIGGER USER");
        return _postgres = new PostgresTransparencyLog(database.DataSource);
    }

    [Fact]
    public async Task ManyAppendsAtOnce_ShareTransactions()
    {
        await Task.WhenAll(Enumerable.Range(0, 400).Select(i => Log.AppendAsync(Admission(i), Ct)));

        Assert.Equal(400, await Log.SizeAsync(Ct));
        Assert.True(_postgres!.Appends.Transactions < 400 / 4, $"{_postgres.Appends.Transactions} transactions for 400 appends");
    }

    [Fact]
    public async Task TwoSilosAppendingAtOnce_PositionsStayContiguous()
    {
        var other = new PostgresTransparencyLog(database.DataSource);
        await Task.WhenAll(Enumerable.Range(0, 300).Select(i => (i % 2 == 0 ? Log : other).AppendAsync(Admission(i), Ct)));

        var rows = await Log.ReadAsync(0, 1000, Ct);
        Assert.Equal(Enumerable.Range(0, 300).Select(i => (long)i), rows.Select(r => r.Index));
        Assert.All(rows, r => Assert.Equal(r.Index, TransparencyEntryEncoding.Decode(r.Bytes).Index));
    }

    [Fact]
    public async Task AnotherSiloAppendedSinceThisOnesLast_NextAppendGoesAfterItsEntries()
    {
        var other = new PostgresTransparencyLog(database.DataSource);
        await Log.AppendAsync(Admission(0), Ct);
        await other.AppendAsync(Admission(1), Ct);
        await other.AppendAsync(Admission(2), Ct);

        var appended = await Log.AppendAsync(Admission(3), Ct);
        await Log.AppendAsync(Admission(4), Ct);

        Assert.Equal(3, appended.Index);
        var rows = await Log.ReadAsync(0, 100, Ct);
        Assert.Equal([0L, 1, 2, 3, 4], rows.Select(r => r.Index));
        Assert.All(rows, r => Assert.Equal(r.Index, TransparencyEntryEncoding.Decode(r.Bytes).Index));
        Assert.Equal(5, _postgres!.Appends.Transactions + other.Appends.Transactions);
    }

    [Theory]
    [InlineData("UPDATE transparency_entry SET job = 'x' WHERE idx = 1")]
    [InlineData("DELETE FROM transparency_entry WHERE idx = 1")]
    [InlineData("TRUNCATE transparency_entry")]
    [InlineData("DELETE FROM transparency_head")]
    public async Task Tables_RefuseChanges(string sql)
    {
        await WrittenAsync(5);

        var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(sql));

        Assert.Contains("append-only", refused.MessageText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Untouched_VerifiesSound()
    {
        await WrittenAsync(20);
        var report = await AuditAsync();
        Assert.True(report.Sound, report.Problem);
        Assert.Equal(20, report.Entries);
    }

    [Fact]
    public async Task EditedRow_NamedByTheAuditor()
    {
        await WrittenAsync(20);
        await TamperAsync("UPDATE transparency_entry SET entry = convert_to(replace(convert_from(entry, 'UTF8'), 'capacity', 'override'), 'UTF8') WHERE idx = 7");

        var report = await AuditAsync();

        Assert.Equal(7, report.FirstBadEntry);
        Assert.Contains("entry 7 was edited", report.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeletedRow_NamedByTheAuditor()
    {
        await WrittenAsync(20);
        await TamperAsync("DELETE FROM transparency_entry WHERE idx = 12");

        var report = await AuditAsync();

        Assert.Equal(12, report.FirstBadEntry);
        Assert.Contains("entry 12 is missing", report.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReorderedRows_NamedByTheAuditor()
    {
        await WrittenAsync(20);
        await TamperAsync("UPDATE transparency_entry SET idx = 1000000 WHERE idx = 4; UPDATE transparency_entry SET idx = 4 WHERE idx = 9; UPDATE transparency_entry SET idx = 9 WHERE idx = 1000000");

        var report = await AuditAsync();

        Assert.Equal(4, report.FirstBadEntry);
        Assert.Contains("holds entry 9", report.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TruncatedTail_NamedByTheAuditor()
    {
        await WrittenAsync(20);
        await TamperAsync("DELETE FROM transparency_entry WHERE idx >= 15");

        var report = await AuditAsync();

        Assert.Equal(15, report.FirstBadEntry);
        Assert.Contains("entries 15 to 19 are gone", report.Problem, StringComparison.Ordinal);
    }

    private async Task WrittenAsync(int entries)
    {
        var range = new CompactRange();
        for (var i = 0; i < entries; i++)
        {
            var row = await Log.AppendAsync(Admission(i), Ct);
            range.Append(row.LeafHash);
            if ((i + 1) % 5 == 0)
            {
                await Log.AddHeadAsync(TreeHeadSignature.Sign(new TreeHead("FR", i + 1, range.Root(), T0.AddSeconds(i)), _fr), Ct);
            }
        }
    }

    private async Task<AuditReport> AuditAsync() =>
        LogAuditor.Verify("FR", await Log.ReadAsync(0, 1000, Ct), await Log.HeadsAsync(0, 1000, Ct), [TreeHeadSignature.Pin(_fr)]);

    private Task TamperAsync(string sql) =>
        ExecuteAsync($"ALTER TABLE transparency_entry DISABLE TRIGGER USER; {sql}; ALTER TABLE transparency_entry ENABLE TRIGGER USER");

    private async Task ExecuteAsync(string sql)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(Ct);
    }
}
