using System.Net;
using System.Text.Json.Nodes;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Grains.Jobs;
using Federation.Lifecycle.Shares;
using Federation.Protocol.Usage;
using Federation.Silo.Shares;
using Federation.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Federation.Silo.Tests.Shares;

/// <summary>
/// The usage ledger on PostgreSQL: charges count once per run however often they are delivered, a restart keeps the decayed
/// usage, a released run is no longer held after a restart, and old rows are pruned without moving usage or the replay fence.
/// </summary>
public sealed class UsageLedgerPersistenceTests : IAsyncLifetime
{
    private PostgresTestDatabase _database = null!;

    public async ValueTask InitializeAsync() => _database = await PostgresTestDatabase.CreateAsync(nameof(UsageLedgerPersistenceTests));

    public async ValueTask DisposeAsync() => await _database.DisposeAsync();

    private static readonly int s_halfLifeHours = (int)new ShareOptions().HalfLifeHours;

    /// <summary>An offer of <paramref name="job"/> for 2 accelerators and 10 hours of walltime, estimated at <paramref name="hours"/> accelerator-hours.</summary>
    internal static JobOffer Offer(string job, int epoch, double hours, string? consortium = null) => new()
    {
        Job = TypedId.Parse<JobRef>(job),
        Epoch = epoch,
        LeaseSeconds = 30,
        Spec = new JobSpec
        {
            Id = TypedId.Parse<JobRef>(job).Id,
            Owner = new JobOwner("alice@example.org", consortium),
            Inputs = [],
            Purpose = new JobPurpose { Use = ResearchCategory.HealthMedicalBiomedical },
            Accelerators = new AcceleratorRequest { Count = 2 },
            Work = WorkEstimate.Hours(hours, TypedId.Parse<AcceleratorSlug>("a100-80gb-sxm")),
            Walltime = TimeSpan.FromHours(10),
            Workload = new WorkloadCall { Name = "demo-train", Version = "1.0" },
        },
    };

    private static async Task<Dictionary<string, double>> UsageAsync(SiloUnderTest silo, CancellationToken ct)
    {
        var view = await Http.ExpectAsync(await silo.Client.GetAsync("/api/v1/shares", ct), HttpStatusCode.OK);
        return (view["nations"] as JsonArray)!.ToDictionary(n => n!["name"]!.GetValue<string>(), n => n!["usage"]!.GetValue<double>());
    }

    [Fact]
    public async Task Ledger_OnPostgres_CountsEachRunOnce_AndKeepsItsDecayedUsageOverARestart()
    {
        var ct = TestContext.Current.CancellationToken;
        Dictionary<string, double> before;
        await using (var silo = await SiloUnderTest.StartConfiguredAsync(_database.ConnectionString))
        {
            var ledger = silo.Services.GetRequiredService<ShareLedgerService>();
            await ledger.AdmittedAsync(Offer("DE/usage-a", 1, 6), borrowed: false);
            await ledger.AdmittedAsync(Offer("DE/usage-a", 1, 6), borrowed: false);    // delivered again: counts once
            await ledger.AdmittedAsync(Offer("DE/usage-a", 2, 4), borrowed: true);     // requeued: a new epoch is a new run
            await ledger.AdmittedAsync(Offer("FR/usage-b", 1, 3, "climate"), borrowed: false);
            before = await UsageAsync(silo, ct);

            Assert.Equal(10, before["DE"], tolerance: 1e-3);
            Assert.Equal(3, before["FR"], tolerance: 1e-3);
            Assert.Equal(3L, await _database.ScalarAsync("SELECT count(*) FROM usage_charge"));
        }

        await using (var silo = await SiloUnderTest.StartConfiguredAsync(_database.ConnectionString))
        {
            var after = await UsageAsync(silo, ct);
            Assert.Equal(before["DE"], after["DE"], tolerance: 1e-3);
            Assert.Equal(before["FR"], after["FR"], tolerance: 1e-3);

            // Still once per run after the restart; and the held runs came back (2 + 2 + 2 accelerators, one borrowed run).
            await silo.Services.GetRequiredService<ShareLedgerService>().AdmittedAsync(Offer("DE/usage-a", 1, 6), borrowed: false);
            Assert.Equal(before["DE"], (await UsageAsync(silo, ct))["DE"], tolerance: 1e-3);
            var view = await Http.ExpectAsync(await silo.Client.GetAsync("/api/v1/shares", ct), HttpStatusCode.OK);
            var de = (view["nations"] as JsonArray)!.Single(n => n!["name"]!.GetValue<string>() == "DE")!;
            Assert.Equal((4, 2), (de["held"]!.GetValue<int>(), de["borrowed"]!.GetValue<int>()));
            Assert.Equal(3, (view["consortia"] as JsonArray)!.Single(c => c!["name"]!.GetValue<string>() == "climate")!["usage"]!.GetValue<double>(), tolerance: 1e-3);

            // A report from a peer lives in the same database: accepted, it survives the next restart too.
            var report = new UsageReport("DE", 1, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMinutes(-1), [new UsageReportLine("FR", "", 0.5)]);
            await silo.Services.GetRequiredService<ShareLedgerService>().AcceptAsync(new SignedUsageReport(report, "key", "signature"));
        }

        await using (var silo = await SiloUnderTest.StartConfiguredAsync(_database.ConnectionString))
        {
            Assert.Equal(before["FR"] + 0.5, (await UsageAsync(silo, ct))["FR"], tolerance: 1e-3);
            Assert.Equal(1L, (await silo.Services.GetRequiredService<ShareLedgerService>().LastReportAsync("DE"))!.Value.Sequence);
        }
    }

    private static async Task<(int Held, double Usage)> NationAsync(SiloUnderTest silo, string nation, CancellationToken ct)
    {
        var view = await Http.ExpectAsync(await silo.Client.GetAsync("/api/v1/shares", ct), HttpStatusCode.OK);
        var line = (view["nations"] as JsonArray)!.Single(n => n!["name"]!.GetValue<string>() == nation)!;
        return (line["held"]!.GetValue<int>(), line["usage"]!.GetValue<double>());
    }

    [Fact]
    public async Task Ledger_OnPostgres_AReleasedRunIsNotHeldAfterARestart_AndOldRowsArePrunedKeepingUsageAndTheReplayFence()
    {
        var ct = TestContext.Current.CancellationToken;
        const string Lines = """[{"origin":"IT","consortium":"","acceleratorHours":0.5}]""";
        const string ReleasedAtMicros = "SELECT (extract(epoch FROM released_at) * 1000000)::bigint FROM usage_charge WHERE charge_key = 'DE/rel-a#1'";
        double frBefore;
        await using (var silo = await SiloUnderTest.StartConfiguredAsync(_database.ConnectionString))
        {
            var ledger = silo.Services.GetRequiredService<ShareLedgerService>();
            await ledger.AdmittedAsync(Offer("DE/rel-a", 1, 20), borrowed: false);     // 2 accelerators, 20 acc-h over a 10 h walltime
            await ledger.AdmittedAsync(Offer("DE/rel-b", 1, 6), borrowed: false);
            await ledger.AdmittedAsync(Offer("FR/rel-c", 1, 3), borrowed: false);
            Assert.Equal((4, 26.0), await NationAsync(silo, "DE", ct), new HeldUsageComparer(1e-3));

            // The run ends (through admission's share fact source, as an execution tells it) having used 5 of its 20 acc-h:
            // no longer held, and charged what it used.
            var shares = silo.Services.GetRequiredService<IShareFactSource>();
            await shares.EndedAsync(TypedId.Parse<JobRef>("DE/rel-a"), 1, 5);
            var released = await _database.ScalarAsync(ReleasedAtMicros);
            await shares.EndedAsync(TypedId.Parse<JobRef>("DE/rel-a"), 1, 15);         // delivered again: the first release stands
            Assert.Equal(released, await _database.ScalarAsync(ReleasedAtMicros));
            Assert.Equal((2, 11.0), await NationAsync(silo, "DE", ct), new HeldUsageComparer(1e-3));
            frBefore = (await NationAsync(silo, "FR", ct)).Usage;

            // Rows from long ago, written behind the silo's back: FR charges 11 and 9 half-lives old (the first is pruned, the
            // second kept), DE's reports 1 and 2 and SE's 5 past the decay horizon, SE's 6 recent: DE's 2 is its latest and stays.
            await _database.ExecuteAsync($"""
                INSERT INTO usage_charge (charge_key, origin, consortium, tier, hours, accelerators, user_name, course, borrowed, charged_at, ends_by) VALUES
                ('FR/old-1#1', 'FR', '', 'Standard', 1000, 8, 'bob', NULL, false, now() - interval '{11 * s_halfLifeHours} hours', now() - interval '{(11 * s_halfLifeHours) - 10} hours'),
                ('FR/old-2#1', 'FR', '', 'Standard', 1000, 8, 'bob', NULL, false, now() - interval '{9 * s_halfLifeHours} hours', now() - interval '{(9 * s_halfLifeHours) - 10} hours');
                INSERT INTO usage_report (nation, sequence, period_from, period_to, lines, signer_key, signature, received_at) VALUES
                ('DE', 1, now() - interval '{12 * s_halfLifeHours} hours', now() - interval '{(12 * s_halfLifeHours) - 1} hours', '{Lines}', 'k', 's', now()),
                ('DE', 2, now() - interval '{11 * s_halfLifeHours} hours', now() - interval '{(11 * s_halfLifeHours) - 1} hours', '{Lines}', 'k', 's', now()),
                ('SE', 5, now() - interval '{11 * s_halfLifeHours} hours', now() - interval '{(11 * s_halfLifeHours) - 1} hours', '{Lines}', 'k', 's', now()),
                ('SE', 6, now() - interval '2 hours', now() - interval '1 hour', '{Lines}', 'k', 's', now());
                """);
        }

        await using (var silo = await SiloUnderTest.StartConfiguredAsync(_database.ConnectionString))
        {
            // Pruned on start: one charge and two reports go.
            await Eventually.WaitAsync(
                () => _database.ScalarAsync("SELECT (SELECT count(*) FROM usage_charge WHERE charge_key = 'FR/old-1#1') + (SELECT count(*) FROM usage_report WHERE (nation, sequence) IN (('DE', 1), ('SE', 5)))"),
                n => n == 0, TimeSpan.FromSeconds(30), "the pruner to delete the charge and the two reports past 10 half-lives when the silo starts");
            Assert.Equal(4L, await _database.ScalarAsync("SELECT count(*) FROM usage_charge"));
            Assert.Equal(["DE 2", "SE 6"], await ReportsAsync());

            // The released run is still released and charged what it used after the restart; the other still held.
            Assert.Equal((2, 11.0), await NationAsync(silo, "DE", ct), new HeldUsageComparer(1e-3));

            // FR's usage is what it was plus the kept old charge; what pruning dropped weighed under 0.1 % of its hours.
            var fr = (await NationAsync(silo, "FR", ct)).Usage;
            var kept = 1000 * Math.Pow(2, -9);
            var dropped = 1000 * Math.Pow(2, -11);
            Assert.Equal(frBefore + kept, fr, tolerance: 0.05);
            Assert.True(Math.Abs(frBefore + kept + dropped - fr) <= LedgerPruning.DroppedWeight * 1000, $"FR usage {fr}: pruning moved it by more than 0.1 % of the 1000 acc-h dropped");

            // The replay fence stands: DE's latest kept report is 2, and a replay of 1 is refused.
            var ledger = silo.Services.GetRequiredService<ShareLedgerService>();
            var last = (await ledger.LastReportAsync("DE"))!.Value;
            Assert.Equal(2L, last.Sequence);
            var replay = new UsageReport("DE", 1, last.To.AddHours(-2), last.To.AddHours(-1), [new UsageReportLine("IT", "", 0.5)]);
            Assert.Equal(UsageReports.ReplayRule, UsageReports.Check(replay, last.Sequence, last.To, 8, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(2))?.Rule);
            Assert.Equal(6L, (await ledger.LastReportAsync("SE"))!.Value.Sequence);

            // Nothing more to prune: a round now deletes nothing.
            Assert.Equal((0, 0), await ledger.PruneStoredAsync(ct));
        }
    }

    private async Task<List<string>> ReportsAsync()
    {
        var count = await _database.ScalarAsync("SELECT count(*) FROM usage_report");
        var found = new List<string>();
        foreach (var (nation, sequence) in new[] { ("DE", 1), ("DE", 2), ("SE", 5), ("SE", 6) })
        {
            if (await _database.ScalarAsync($"SELECT count(*) FROM usage_report WHERE nation = '{nation}' AND sequence = {sequence}") == 1)
            {
                found.Add($"{nation} {sequence}");
            }
        }

        Assert.Equal(found.Count, count);
        return found;
    }

    private sealed class HeldUsageComparer(double tolerance) : IEqualityComparer<(int Held, double Usage)>
    {
        public bool Equals((int Held, double Usage) x, (int Held, double Usage) y) => x.Held == y.Held && Math.Abs(x.Usage - y.Usage) <= tolerance;

        public int GetHashCode((int Held, double Usage) obj) => obj.Held;
    }
}
