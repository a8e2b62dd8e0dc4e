using Federation.Contracts.Catalogue.Nodes;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Grains.Nations;

namespace Federation.Silo.Demo;

/// <summary>
/// The node agent of a demo nation's simulated nodes, inside the silo: it sends their heartbeats
/// through the same grain call as the heartbeat endpoint a real agent uses, a third of the lease
/// apart, from the start of the silo to its stop. Then, as with a real agent, the nodes go down by
/// themselves when their lease runs out. A real deployment never runs it (see <see cref="DemoSettings"/>).
/// </summary>
public sealed partial class SimulatedNodeAgent(IGrainFactory grains, LocalNation local, TimeProvider time, ILogger<SimulatedNodeAgent> logger) : BackgroundService
{
    /// <summary>Time between two heartbeats of a node.</summary>
    public static readonly TimeSpan Interval = DemoCatalogue.NodeLease / 3;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var nodes = DemoProfile.For(local.Code).Nodes.Select(n => TypedId.Parse<NodeId>(n.Id)).ToList();
        LogStarted(logger, local.Code.Value, nodes.Count, Interval.TotalSeconds);
        var failing = new HashSet<NodeId>();
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            foreach (var node in nodes)
            {
                try
                {
                    var result = await grains.GetGrain<IGpuNodeGrain>(node.GrainKey).HeartbeatAsync(new NodeHeartbeat(null));
                    if (!result.Succeeded && failing.Add(node))
                    {
                        LogRefused(logger, node.Value, result.Reason ?? result.Status.ToString());
                    }
                    else if (result.Succeeded)
                    {
                        failing.Remove(node);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException && !stoppingToken.IsCancellationRequested)
                {
                    // Storage may be briefly unavailable (PostgreSQL restarting): the next beat tries again.
                    if (failing.Add(node))
                    {
                        LogRefused(logger, node.Value, e.GetBaseException().Message);
                    }
                }
            }
        }
        while (await WaitAsync(timer, stoppingToken));

        LogStopped(logger, local.Code.Value);
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 5121, Level = LogLevel.Information, Message = "Simulated node agent of demo nation {Nation}: {Nodes} simulated nodes heartbeat every {Seconds} s")]
    private static partial void LogStarted(ILogger logger, string nation, int nodes, double seconds);

    [LoggerMessage(EventId = 5122, Level = LogLevel.Warning, Message = "Simulated heartbeat of node {NodeId} failed: {Reason}; trying again at the next beat")]
    private static partial void LogRefused(ILogger logger, string nodeId, string reason);

    [LoggerMessage(EventId = 5123, Level = LogLevel.Information, Message = "Simulated node agent of {Nation} stopped; its nodes go down when their lease runs out")]
    private static partial void LogStopped(ILogger logger, string nation);
}
