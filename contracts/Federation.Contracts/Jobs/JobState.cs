namespace Federation.Contracts.Jobs;

/// <summary>Where a job is in its life, as its origin nation records it.</summary>
public enum JobState
{
    /// <summary>Accepted by the origin; not planned yet.</summary>
    Submitted = 0,

    /// <summary>Planned: a decision record exists; waiting for a nation to offer it to (pending when none is feasible).</summary>
    Planned = 1,

    /// <summary>Offered to a nation; waiting for its admission.</summary>
    Offered = 2,

    /// <summary>Admitted by the executing nation.</summary>
    Admitted = 3,

    /// <summary>Waiting for accelerators in the executing nation.</summary>
    Queued = 4,

    /// <summary>Running.</summary>
    Running = 5,

    /// <summary>Finished with exit code 0.</summary>
    Succeeded = 6,

    /// <summary>Finished with an error.</summary>
    Failed = 7,

    /// <summary>Cancelled on request.</summary>
    Cancelled = 8,

    /// <summary>Stopped at its walltime limit.</summary>
    TimedOut = 9,

    /// <summary>Its execution was lost (the lease expired at the origin) or given back by the executing nation (it could not renew); it is planned again with the next epoch.</summary>
    Requeued = 10,
}
