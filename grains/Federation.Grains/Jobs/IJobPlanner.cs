using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;

namespace Federation.Grains.Jobs;

/// <summary>Plans a job outside the grain (planning reads other nations' catalogues) and answers <c>replyTo.PlannedAsync</c>.</summary>
public interface IJobPlanner
{
    /// <summary>Starts planning; returns at once.</summary>
    void Plan(JobRef job, JobSpec spec, int attempt, IJobGrain replyTo);
}
