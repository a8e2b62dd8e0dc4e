using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Silo.Postgres;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Federation.Silo.Admin;

/// <summary>
/// Restores the read model from grain state: lists the keys of every stored catalogue grain and
/// asks each grain to project itself again. Grains are enumerated from the storage table, never
/// scanned through the cluster.
/// </summary>
public sealed partial class ReadModelRebuilder(
    IServiceProvider services,
    IGrainFactory grains,
    IOptions<ClusterOptions> cluster,
    ILogger<ReadModelRebuilder> logger)
{
    /// <summary>True when grain state is durable (PostgreSQL), so it can be enumerated.</summary>
    public bool IsAvailable => services.GetService<GrainStateKeys>() is not null;

    /// <summary>Re-projects every dataset, node, model and job; reports counts per kind.</summary>
    public async Task<RebuildReport> RebuildAsync(IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var keys = services.GetRequiredService<GrainStateKeys>();
        var serviceId = cluster.Value.ServiceId;
        var datasets = 0;
        await foreach (var key in keys.ListKeysAsync(serviceId, "dataset", cancellationToken))
        {
            _ = DatasetId.FromGrainKey(key);
            await grains.GetGrain<IDatasetGrain>(key).RepublishAsync();
            Report(progress, "datasets", ++datasets);
        }

        var nodes = 0;
        await foreach (var key in keys.ListKeysAsync(serviceId, "gpu-node", cancellationToken))
        {
            _ = NodeId.FromGrainKey(key);
            await grains.GetGrain<IGpuNodeGrain>(key).RepublishAsync();
            Report(progress, "nodes", ++nodes);
        }

        var models = 0;
        await foreach (var key in keys.ListKeysAsync(serviceId, "model-artifact", cancellationToken))
        {
            _ = ModelRef.FromGrainKey(key);
            await grains.GetGrain<IModelArtifactGrain>(key).RepublishAsync();
            Report(progress, "models", ++models);
        }

        var jobs = 0;
        await foreach (var key in keys.ListKeysAsync(serviceId, "job", cancellationToken))
        {
            await grains.GetGrain<IJobGrain>(key).RepublishAsync();
            Report(progress, "jobs", ++jobs);
        }

        var report = new RebuildReport(datasets, nodes, models, jobs);
        LogRebuilt(logger, datasets, nodes, models, jobs);
        return report;
    }

    private static void Report(IProgress<string>? progress, string kind, int count)
    {
        if (progress is not null && count % 1000 == 0)
        {
            progress.Report($"{count} {kind} re-projected");
        }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Read model rebuilt: {Datasets} datasets, {Nodes} nodes, {Models} models, {Jobs} jobs")]
    private static partial void LogRebuilt(ILogger logger, int datasets, int nodes, int models, int jobs);
}
