namespace Federation.Grains.Jobs.Leases;

/// <summary>Which grain a lease entry wakes.</summary>
public enum LeaseKind
{
    /// <summary>A job in its origin nation (<c>IJobGrain</c>; the entry's key is the job's global id, <c>ORIGIN/id</c>).</summary>
    Job,

    /// <summary>One epoch of a job in the nation that runs it (<c>IExecutionGrain</c>; the entry's key is the grain key, <c>exec-ORIGIN/id/epoch</c>).</summary>
    Execution,
}
