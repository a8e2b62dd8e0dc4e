using Federation.Grains;
using Federation.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Federation.Deployment.Tests;

/// <summary>
/// The live job-event stream's pulling agents read as <c>Federation:Hosting:EventPollMilliseconds</c> and
/// <c>EventQueues</c> say (20 ms and one queue by default, not Orleans' 100 ms and 8), on a silo built, not started.
/// </summary>
public sealed class EventStreamSettingsTests
{
    private static async Task<(TimeSpan Period, int Queues)> StreamSettingsAsync(Dictionary<string, string?> extra)
    {
        extra["Federation:Urls"] = "http://127.0.0.1:0";
        var settings = HostedSilo.Settings(extra);
        await using var app = SiloHost.Build([], c => c.AddInMemoryCollection(settings));
        var agent = app.Services.GetRequiredService<IOptionsMonitor<StreamPullingAgentOptions>>().Get(GrainStorageNames.EventStreams);
        var queues = app.Services.GetRequiredService<IOptionsMonitor<HashRingStreamQueueMapperOptions>>().Get(GrainStorageNames.EventStreams);
        return (agent.GetQueueMsgsTimerPeriod, queues.TotalQueueCount);
    }

    [Fact]
    public async Task ByDefault_OneQueueReadAgain20MillisecondsAfterAnEmptyRead()
    {
        Assert.Equal((TimeSpan.FromMilliseconds(20), 1), await StreamSettingsAsync([]));
    }

    [Fact]
    public async Task Configured_TheAgentsReadAsSet()
    {
        Assert.Equal((TimeSpan.FromMilliseconds(100), 8), await StreamSettingsAsync(new()
        {
            ["Federation:Hosting:EventPollMilliseconds"] = "100",
            ["Federation:Hosting:EventQueues"] = "8",
        }));
    }
}
