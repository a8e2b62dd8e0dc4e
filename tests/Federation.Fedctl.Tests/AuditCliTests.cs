using Federation.Silo.Transparency;
using Federation.Testing;
using Federation.Transparency;
using Microsoft.Extensions.DependencyInjection;

namespace Federation.Fedctl.Tests;

/// <summary>
/// <c>fedctl audit show|verify|prove</c> against a PostgreSQL nation: a sound log verifies and an
/// entry's inclusion is proven against the signed head; after the audit table is edited, a row
/// deleted or reordered, or the tail truncated (triggers switched off, as an owner could), verify
/// exits non-zero naming the first bad entry. Each test has its own database (the tamperings share one,
/// the sound table put back between them).
/// </summary>
public sealed class AuditCliTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed class Nation(PostgresTestDatabase database, SiloUnderTest silo) : IAsyncDisposable
    {
        public PostgresTestDatabase Database { get; } = database;

        public SiloUnderTest Silo { get; } = silo;

        public Dictionary<string, string?> Environment()
        {
            var environment = FedctlRun.CleanEnvironment();
            environment["FEDCTL_URL"] = Silo.BaseAddress.ToString();
            environment["FEDCTL_TOKEN"] = SiloUnderTest.AdminToken;
            return environment;
        }

        public Task TamperAsync(string sql) =>
            Database.ExecuteAsync($"ALTER TABLE transparency_entry DISABLE TRIGGER USER; {sql}; ALTER TABLE transparency_entry ENABLE TRIGGER USER");

        public async ValueTask DisposeAsync()
        {
            await Silo.DisposeAsync();
            await Database.DisposeAsync();
        }
    }

    // Twelve entries, a signed head at 6 and one at 12 (published explicitly: the timer's head would race the test).
    private static async Task<Nation> StartAsync(string purpose)
    {
        var database = await PostgresTestDatabase.CreateAsync(purpose);
        var silo = await SiloUnderTest.StartConfiguredAsync(database.ConnectionString, new Dictionary<string, string?> { ["Federation:Transparency:HeadInterval"] = "01:00:00" });
        var recorder = silo.Services.GetRequiredService<TransparencyRecorder>();
        var publisher = silo.Services.GetRequiredService<TreeHeadPublisher>();
        for (var i = 0; i < 12; i++)
        {
            Assert.NotNull(await recorder.RecordAsync(
                i % 4 == 3 ? TransparencyEntryKind.Refusal : TransparencyEntryKind.Admission,
                job: $"DE/job-{i}", peer: "DE", rule: i % 4 == 3 ? "quota" : null, subject: "alice@example.org", cancellationToken: Ct));
            if (i is 5 or 11)
            {
                Assert.NotNull(await publisher.PublishAsync(Ct));
            }
        }

        return new Nation(database, silo);
    }

    [Fact]
    public async Task Show_ByJob_ListsItsEntriesWithoutThePerson()
    {
        await using var nation = await StartAsync("audit-show");

        var (exit, output, error) = await FedctlRun.RunAsync(nation.Environment(), "audit", "show", "--job", "DE/job-3");

        Assert.True(exit == 0, error);
        Assert.Contains("refusal", output, StringComparison.Ordinal);
        Assert.Contains("quota", output, StringComparison.Ordinal);
        Assert.DoesNotContain("alice", output, StringComparison.Ordinal);
        Assert.DoesNotContain("DE/job-4", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAndProve_SoundLog_Succeed()
    {
        await using var nation = await StartAsync("audit-sound");

        var (exit, output, error) = await FedctlRun.RunAsync(nation.Environment(), "audit", "verify");
        Assert.True(exit == 0, error);
        Assert.Contains("sound: FR's log, 12 entries, 2 signed heads", output, StringComparison.Ordinal);

        (exit, output, error) = await FedctlRun.RunAsync(nation.Environment(), "audit", "prove", "7");
        Assert.True(exit == 0, error);
        Assert.Contains("verified: entry 7 is in FR's log as signed at size 12", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_TamperedTable_ExitsNonZeroNamingTheFirstBadEntry()
    {
        (string Sql, long FirstBad, string Problem)[] tamperings =
        [
            ("UPDATE transparency_entry SET entry = convert_to(replace(convert_from(entry, 'UTF8'), 'quota', 'other'), 'UTF8') WHERE idx = 3", 3, "entry 3 was edited"),
            ("DELETE FROM transparency_entry WHERE idx = 8", 8, "entry 8 is missing"),
            ("UPDATE transparency_entry SET idx = 1000 WHERE idx = 2; UPDATE transparency_entry SET idx = 2 WHERE idx = 5; UPDATE transparency_entry SET idx = 5 WHERE idx = 1000", 2, "holds entry 5"),
            ("DELETE FROM transparency_entry WHERE idx >= 10", 10, "entries 10 to 11 are gone"),
        ];

        // One nation for every tampering: the sound table is kept aside and put back after each.
        await using var nation = await StartAsync("audit-tamper");
        await nation.Database.ExecuteAsync("CREATE TABLE sound_entries AS SELECT * FROM transparency_entry");
        foreach (var (sql, firstBad, problem) in tamperings)
        {
            await nation.TamperAsync(sql);

            var (exit, _, error) = await FedctlRun.RunAsync(nation.Environment(), "audit", "verify");

            Assert.True(exit == 1, $"{sql}: exit {exit}, {error}");
            Assert.Contains($"TAMPERED: first bad entry {firstBad}: ", error, StringComparison.Ordinal);
            Assert.Contains(problem, error, StringComparison.Ordinal);
            await nation.TamperAsync("DELETE FROM transparency_entry; INSERT INTO transparency_entry SELECT * FROM sound_entries");
        }

        var (soundExit, soundOutput, soundError) = await FedctlRun.RunAsync(nation.Environment(), "audit", "verify");
        Assert.True(soundExit == 0, soundError);
        Assert.Contains("sound: FR's log, 12 entries, 2 signed heads", soundOutput, StringComparison.Ordinal);
    }
}
