using System.Net;
using Federation.Grains.Jobs.Leases;
using Federation.Silo.Tests.Shares;
using Federation.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Federation.Silo.Tests;

/// <summary>
/// A live grain that leaves memory (activation collection) while work is due sets its lease entry for
/// when its timer would have fired, not for its recheck ten minutes on: the sweeper brings it back
/// when it has work. An embedded nation runs a foreign job; the sweeper sweeps only once an hour here,
/// so the entry the deactivation wrote stays to be read.
/// </summary>
public sealed class IdleGrainLeaseTests : IAsyncLifetime
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(60);
    private SiloUnderTest _silo = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() =>
        _silo = await EmbeddedOffers.StartWithNodeAsync("gpu-a", new Dictionary<string, string?>
        {
            ["Federation:Nation:MaxForeignShare"] = "1",
            ["Federation:Leases:SweepSeconds"] = "3600",
        }, Ct);

    public async ValueTask DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task RunningExecution_Collected_EntryDueWhenItsTimerWouldFire_NotAtItsRecheck()
    {
        var peer = EmbeddedOffers.PeerOf(_silo);
        var admission = await EmbeddedOffers.OfferAsync(_silo, peer, EmbeddedOffers.LongSpec("idle-1", 1));
        Assert.True(admission.Admitted, admission.Reason);
        await Eventually.WaitAsync(
            async () => (await Http.ExpectAsync(await _silo.Client.GetAsync($"/api/v1/executions/{peer}/idle-1/1", Ct), HttpStatusCode.OK))["state"]!.GetValue<string>(),
            state => state == "running", s_wait, $"{peer}/idle-1 running here");
        var index = _silo.Services.GetRequiredService<ILeaseIndex>();
        var settings = _silo.Services.GetRequiredService<LeaseSettings>();
        var key = LeaseKey.Execution($"exec-{peer}/idle-1/1");
        var held = await index.DueAsync(key, Ct);
        Assert.True(held > DateTimeOffset.UtcNow + settings.Recheck - TimeSpan.FromMinutes(1), $"while active, the entry is due at its recheck; it is due at {held:O}");

        // Every idle activation leaves memory, the execution's among them (its timer is armed for its
        // next poll). A busy activation is skipped, and a callback may bring the grain back (its new
        // activation writes the recheck again): collected again until the entry is seen set earlier.
        var management = _silo.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);
        var collectedAt = DateTimeOffset.UtcNow;
        var due = await Eventually.WaitAsync(
            async () =>
            {
                collectedAt = DateTimeOffset.UtcNow;
                await management.ForceActivationCollection(TimeSpan.Zero, Ct);
                return await index.DueAsync(key, Ct);
            },
            d => d < held, s_wait, $"the entry of exec-{peer}/idle-1/1 set earlier than {held:O} as its activation ended", TimeSpan.FromMilliseconds(100));
        Assert.True(due < collectedAt + TimeSpan.FromMinutes(1), $"due when its timer would have fired (a poll of the run, seconds away), got {due:O} for a collection at {collectedAt:O}");
    }
}
