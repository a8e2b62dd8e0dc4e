using System.Collections.Concurrent;
using Federation.Contracts.Jobs;

namespace Federation.Grains.Jobs;

/// <summary>The job read model of an embedded (in-memory) silo.</summary>
public sealed class InMemoryJobIndex : IJobIndex
{
    private readonly ConcurrentDictionary<string, JobRecord> _jobs = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task UpsertAsync(JobRecord job, CancellationToken cancellationToken)
    {
        _jobs.AddOrUpdate(job.Ref.ToString(), job, (_, stored) => stored.Version >= job.Version ? stored : job);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<JobPage> QueryAsync(JobQuery query, CancellationToken cancellationToken)
    {
        var matching = _jobs.Values
            .Where(j => query.State is null || j.State == query.State)
            .Where(j => query.Owner is null || j.Spec.Owner.User == query.Owner)
            .Where(j => query.Nation is null || j.Nation?.Value == query.Nation)
            .Where(j => query.After is null || string.CompareOrdinal(j.Ref.ToString(), query.After) > 0)
            .OrderBy(j => j.Ref.ToString(), StringComparer.Ordinal)
            .Take(query.Limit + 1)
            .ToList();
        var more = matching.Count > query.Limit;
        var page = matching.Take(query.Limit).ToList();
        return Task.FromResult(new JobPage([.. page], more ? page[^1].Ref.ToString() : null));
    }

    /// <inheritdoc />
    public Task RemoveAsync(string job, CancellationToken cancellationToken)
    {
        _jobs.TryRemove(job, out _);
        return Task.CompletedTask;
    }
}
