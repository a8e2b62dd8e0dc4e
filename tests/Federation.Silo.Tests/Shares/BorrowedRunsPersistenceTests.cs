using System.Net;
using System.Text.Json.Nodes;
using Federation.Contracts.Grains;
using Federation.Contracts.Jobs;
using Federation.Lifecycle.Shares;
using Federation.Silo.Shares;
using Federation.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Federation.Silo.Tests.Shares;

/// <summary>
/// The borrowed runs, the reclaims under way and their holds live in the nation's grain storage (PostgreSQL here): a
/// restarted silo still knows which runs are reclaimable and still lends nothing while a hold lasts, and a reclaim
/// marked under a stale version changes nothing.
/// </summary>
public sealed class BorrowedRunsPersistenceTests : IAsyncLifetime
{
    private PostgresTestDatabase _database = null!;

    public async ValueTask InitializeAsync() => _database = await PostgresTestDatabase.CreateAsync(nameof(BorrowedRunsPersistenceTests));

    public async ValueTask DisposeAsync() => await _database.DisposeAsync();

    private static JobOffer Offer(string job, string? consortium) => UsageLedgerPersistenceTests.Offer(job, 1, 20, consortium);

    private static async Task<JsonArray> BorrowedRunsAsync(SiloUnderTest silo, CancellationToken ct) =>
        (JsonArray)(await Http.ExpectAsync(await silo.Client.GetAsync("/api/v1/shares", ct), HttpStatusCode.OK))["borrowedRuns"]!;

    [Fact]
    public async Task BorrowedRunsAndHolds_OnPostgres_SurviveARestart_AndAStaleReclaimChangesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var facts = new ShareFacts { Settings = new ShareSettings(), Total = 8, Free = 4 };
        await using (var silo = await SiloUnderTest.StartConfiguredAsync(_database.ConnectionString))
        {
            var reclaimer = silo.Services.GetRequiredService<ShareReclaimer>();
            await reclaimer.AdmittedAsync(Offer("DE/borrow-a", "climate"), new ShareVerdict(null, "borrowed (reclaimable)", Borrowed: true), facts);
            await reclaimer.AdmittedAsync(Offer("DE/borrow-b", null), new ShareVerdict(null, "borrowed (reclaimable)", Borrowed: true), facts);
            await reclaimer.AdmittedAsync(Offer("DE/borrow-b", null), new ShareVerdict(null, "borrowed (reclaimable)", Borrowed: true), facts);    // again: once
            Assert.Equal(["DE/borrow-a", "DE/borrow-b"], (await BorrowedRunsAsync(silo, ct)).Select(r => r!["job"]!.GetValue<string>()).Order(StringComparer.Ordinal));
            Assert.Null(await reclaimer.HoldAsync());

            var register = silo.Services.GetRequiredService<IGrainFactory>().GetGrain<IBorrowedRunsGrain>(IBorrowedRunsGrain.Key);
            var read = await register.ReadAsync();
            var backBy = DateTimeOffset.UtcNow.AddMinutes(5);
            var holder = read.Runs.Single(r => r.Job.Id == "borrow-a").Holder;

            // Another silo changed the runs since this version was read: refused, nothing marked.
            await register.RemoveAsync("exec-DE/no-such-run#1");
            Assert.False(await register.ReclaimAsync(read.Version - 1, [new ReclaimMark(holder, backBy)], new ReclaimHoldEntry(2, backBy.AddMinutes(1))));
            Assert.All((await register.ReadAsync()).Runs, r => Assert.Null(r.ReturnBy));

            var current = await register.ReadAsync();
            Assert.True(await register.ReclaimAsync(current.Version, [new ReclaimMark(holder, backBy)], new ReclaimHoldEntry(2, backBy.AddMinutes(1))));
            Assert.False(await register.ReclaimAsync(current.Version, [new ReclaimMark(holder, backBy)], new ReclaimHoldEntry(2, backBy.AddMinutes(1))));
        }

        await using (var silo = await SiloUnderTest.StartConfiguredAsync(_database.ConnectionString))
        {
            var runs = await BorrowedRunsAsync(silo, ct);
            Assert.Equal(2, runs.Count);
            var marked = runs.Single(r => r!["job"]!.GetValue<string>() == "DE/borrow-a")!;
            Assert.NotNull(marked["returnBy"]);
            Assert.Equal("climate", marked["consortium"]!.GetValue<string>());
            Assert.Null(runs.Single(r => r!["job"]!.GetValue<string>() == "DE/borrow-b")!["returnBy"]);

            // The hold came back with the restart: a job that would borrow is refused by rule reclaim.
            var reclaimer = silo.Services.GetRequiredService<ShareReclaimer>();
            var hold = await reclaimer.HoldAsync();
            Assert.NotNull(hold);
            Assert.Equal(2, hold.Accelerators);

            // A run that ends is no longer a candidate.
            var register = silo.Services.GetRequiredService<IGrainFactory>().GetGrain<IBorrowedRunsGrain>(IBorrowedRunsGrain.Key);
            await register.RemoveAsync((await register.ReadAsync()).Runs.Single(r => r.Job.Id == "borrow-b").Holder);
            Assert.Equal(["DE/borrow-a"], (await BorrowedRunsAsync(silo, ct)).Select(r => r!["job"]!.GetValue<string>()));
        }
    }
}
