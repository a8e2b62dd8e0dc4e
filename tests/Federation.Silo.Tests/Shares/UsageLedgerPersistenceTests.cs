using System.Net;
using System.Text.Json.Nodes;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Protocol.Usage;
using Federation.Silo.Shares;
using Federation.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Federation.Silo.Tests.Shares;

/// <summary>The usage ledger on PostgreSQL: charges count once per run however often they are delivered, and a restart keeps the decayed usage.</summary>
public sealed class UsageLedgerPersistenceTests : IAsyncLifetime
{
    private PostgresTestDatabase _database = null!;

    public async ValueTask InitializeAsync() => _database = await PostgresTestDatabase.CreateAsync(nameof(UsageLedgerPersistenceTests));

    public async ValueTask DisposeAsync() => await _database.DisposeAsync();

    private static JobOffer Offer(string job, int epoch, double hours, string? consortium = null) => new()
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
}
