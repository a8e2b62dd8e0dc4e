using Federation.Contracts.Catalogue.Nodes;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Lifecycle.Executions;
using Federation.Reference;
using Federation.Routing;

namespace Federation.Grains.Jobs;

/// <summary>
/// The bill of a run that ends: run hours (scaled back for a simulated run), the accelerators' power
/// (measured when every node holding them measures it, else TDP), the nation's PUE and grid
/// intensity, and the energy of the bytes staged across a border. The one place the bill is computed.
/// </summary>
public sealed class ExecutionBill(IGrainFactory grains, ReferenceTables reference, Router router, ExecutorSettings executor)
{
    /// <summary>The result of <paramref name="record"/>'s run after <paramref name="elapsed"/>.</summary>
    public async Task<JobResult> BillAsync(ExecutionRecord record, TimeSpan elapsed, int? exitCode, string message)
    {
        var profile = await grains.GetGrain<INationGrain>(INationGrain.Key).GetAsync();
        var simulated = record.Run is null or { Executor: ExecutorKinds.Simulated };
        var run = simulated && record.Accelerator is { } slug ? SimulatedRun.For(record.Spec, slug, reference, executor) : null;
        var hours = simulated ? run?.RunHours(elapsed) ?? 0 : elapsed.TotalHours;
        var (watts, method) = await PowerAsync(record);
        var pue = profile?.Pue ?? 1;
        var kwh = hours * watts / 1000 * pue;
        var staged = record.Run?.StagedBytes ?? 0;
        var transferKwh = staged / 1e9 * router.Weights.TransferKwhPerGb;
        var intensity = profile is null ? 0 : reference.FindGridZone(profile.GridZone)?.Gco2PerKwh ?? 0;
        return new JobResult
        {
            ExitCode = exitCode,
            Message = message,
            RunSeconds = hours * 3600,
            PowerWatts = watts,
            EnergyKwh = kwh + transferKwh,
            TransferKwh = transferKwh,
            StagedBytes = staged,
            EmissionsGco2e = (kwh + transferKwh) * intensity,
            EnergyMethod = method,
            Executor = record.Run?.Executor,
        };
    }

    /// <summary>
    /// The allocated accelerators' power: measured when every node holding them reports a measured
    /// draw (its share for the accelerators held), else the table's TDP times the count.
    /// </summary>
    private async Task<(double Watts, string Method)> PowerAsync(ExecutionRecord record)
    {
        var tdp = record.Accelerator is { } slug ? (reference.FindAccelerator(slug)?.TdpWatts ?? 0) * record.Spec.Accelerators.Count : 0;
        if (record.Allocations.IsEmpty)
        {
            return (tdp, "tdp-estimate");
        }

        var measured = 0.0;
        foreach (var (node, held) in record.Allocations)
        {
            var nodeRecord = await grains.GetGrain<IGpuNodeGrain>(TypedId.Parse<NodeId>(node).GrainKey).GetAsync();
            if (nodeRecord is not { PowerSource: PowerSource.Measured } measuredNode || measuredNode.Spec.Count <= 0)
            {
                return (tdp, "tdp-estimate");
            }

            measured += measuredNode.PowerDrawWatts * held / measuredNode.Spec.Count;
        }

        return (measured, "measured");
    }
}
