using Federation.Contracts.Catalogue.Nodes;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Execution;
using Federation.Reference;
using Federation.Routing;
using Federation.Routing.Energy;

namespace Federation.Grains.Jobs;

/// <summary>
/// The bill of a run that ends: run hours (scaled back for a simulated run), the accelerators' power
/// (measured when every node holding them measures it, else TDP), the nation's PUE and grid
/// intensity, and the energy of the bytes staged across a border. The one place the bill is computed.
/// </summary>
public sealed class ExecutionBill(IGrainFactory grains, ReferenceTables reference, Router router, ExecutorRegistry executors, ExecutionRunner runner)
{
    /// <summary>The result of <paramref name="record"/>'s run after <paramref name="elapsed"/>.</summary>
    public async Task<JobResult> BillAsync(ExecutionRecord record, TimeSpan elapsed, int? exitCode, string message)
    {
        var profile = await grains.GetGrain<INationGrain>(INationGrain.Key).GetAsync();
        var hours = record.Run is { } run ? executors.For(run).RunHours(runner.RequestOf(record, run), elapsed) : 0;
        var intensity = profile is null ? 0 : reference.FindGridZone(profile.GridZone)?.Gco2PerKwh ?? 0;
        var use = EnergyModel.Of(await PowerAsync(record), hours, profile?.Pue ?? 1, record.Run?.StagedBytes ?? 0, router.Weights.TransferKwhPerGb, intensity);
        var billed = EnergyBill.Result(use, exitCode, message, record.Run?.Executor);
        return record.Run is { } ran ? await executors.For(ran).CompleteAsync(runner.RequestOf(record, ran), billed, CancellationToken.None) : billed;
    }

    /// <summary>
    /// The allocated accelerators' power: measured when every node holding them reports a measured
    /// draw (its share for the accelerators held), else the table's TDP times the count.
    /// </summary>
    private async Task<PowerFigure> PowerAsync(ExecutionRecord record)
    {
        var tdp = PowerFigure.Tdp(record.Accelerator is { } slug ? reference.FindAccelerator(slug) : null, record.Spec.Accelerators.Count);
        if (record.Allocations.IsEmpty)
        {
            return tdp;
        }

        var measured = 0.0;
        foreach (var (node, held) in record.Allocations)
        {
            var nodeRecord = await grains.GetGrain<IGpuNodeGrain>(TypedId.Parse<NodeId>(node).GrainKey).GetAsync();
            if (nodeRecord is not { PowerSource: PowerSource.Measured } measuredNode || measuredNode.Spec.Count <= 0)
            {
                return tdp;
            }

            measured += PowerFigure.ShareOf(measuredNode.PowerDrawWatts, measuredNode.Spec.Count, held);
        }

        return PowerFigure.Measured(measured);
    }
}
