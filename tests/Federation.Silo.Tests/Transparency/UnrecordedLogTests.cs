using System.Net;
using Federation.Silo.Tests.Shares;
using Federation.Silo.Transparency;
using Federation.Testing;
using Federation.Transparency;
using Microsoft.Extensions.DependencyInjection;

namespace Federation.Silo.Tests.Transparency;

/// <summary>
/// <c>Federation:Transparency:Record=false</c> (for measuring the log's cost only): a job still runs
/// to its end, its decisions are encoded and dropped, and the log stays empty.
/// </summary>
public sealed class UnrecordedLogTests : IAsyncLifetime
{
    private SiloUnderTest _silo = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() =>
        _silo = await EmbeddedOffers.StartWithNodeAsync("gpu-quiet", new Dictionary<string, string?> { ["Federation:Transparency:Record"] = "false" }, Ct);

    public async ValueTask DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task RecordOff_JobSucceeds_EntriesDroppedNotStored()
    {
        var log = Assert.IsType<DiscardingTransparencyLog>(_silo.Services.GetRequiredService<ITransparencyLog>());
        await DemoJob.RunToSuccessAsync(_silo.Client, "unrecorded-1", Ct);

        Assert.True(log.Dropped >= 2, $"a routing decision and an admission were expected to be dropped, {log.Dropped} were");
        var page = await Http.ExpectAsync(await _silo.Client.GetAsync("/api/v1/audit/entries", Ct), HttpStatusCode.OK);
        Assert.Empty(page["items"]!.AsArray());
        Assert.Equal(0, await log.SizeAsync(Ct));

        // What a dropped append returns names no entry of the real log.
        var dropped = await log.AppendAsync(TransparencyEntry.Create(TransparencyEntryKind.RoutingDecision, DateTimeOffset.UtcNow, job: "FR/unrecorded-1"), Ct);
        Assert.True(dropped.Index < 0, $"a dropped entry's index was {dropped.Index}");
    }
}
