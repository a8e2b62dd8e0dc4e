using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Execution;

namespace Federation.Lifecycle.Executions;

/// <summary>
/// An execution as its decider sees it: the persisted part (<see cref="Record"/>,
/// <see cref="ReportSequence"/>, <see cref="FencedBeforeOffer"/>) and the part that lives with the
/// activation (the lease clock, the renewal and poll schedule, the effect outstanding).
/// </summary>
public sealed record ExecutionState
{
    /// <summary>The job.</summary>
    public required JobRef Job { get; init; }

    /// <summary>The epoch this execution runs.</summary>
    public required int Epoch { get; init; }

    /// <summary>The execution; null until offered.</summary>
    public ExecutionRecord? Record { get; init; }

    /// <summary>The sequence number of the last report written.</summary>
    public long ReportSequence { get; init; }

    /// <summary>True when the origin fenced this epoch before any offer arrived.</summary>
    public bool FencedBeforeOffer { get; init; }

    /// <summary>When the origin last confirmed the lease: the lease clock.</summary>
    public DateTimeOffset LeaseHeardAt { get; init; }

    /// <summary>When the next renewal is due.</summary>
    public DateTimeOffset NextRenewalAt { get; init; }

    /// <summary>True while a renewal is on its way.</summary>
    public bool RenewalInFlight { get; init; }

    /// <summary>When progress was last reported.</summary>
    public DateTimeOffset LastProgressAt { get; init; }

    /// <summary>When the run may next be polled.</summary>
    public DateTimeOffset NextPollAt { get; init; }

    /// <summary>When a run waiting for accelerators looks for them again (<see cref="ExecutionSettings.QueuedRecheck"/>; <see cref="Woken"/> makes it now).</summary>
    public DateTimeOffset NextLaunchAt { get; init; }

    /// <summary>True while a poll is outstanding.</summary>
    public bool PollInFlight { get; init; }

    /// <summary>The effect outstanding.</summary>
    public ExecutionStep Step { get; init; }

    /// <summary>How many times this activation asked for the run to be started (0 or 1).</summary>
    public int StartsAsked { get; init; }

    /// <summary>The ending waiting for its bill, if any.</summary>
    public PendingFinish? Finishing { get; init; }

    /// <summary>True while the execution is admitted, not fenced, not over and not ending.</summary>
    public bool Live => Record is { Admission.Admitted: true, Fenced: false } r && !IsOver(r.State) && Finishing is null;

    /// <summary>True when a process or Slurm run was started (its directory is recorded): it is polled, and stopped on an ending.</summary>
    public bool RunOutside => Record is { Run: { Directory: not null } run } && ExecutorKinds.KindOf(run) != ExecutorKind.Simulated;

    /// <summary>True when the run is simulated and has started.</summary>
    public bool RunSimulated => Record is { Run: { } run, StartedAt: not null } && ExecutorKinds.KindOf(run) == ExecutorKind.Simulated;

    /// <summary>True when the decider needs <see cref="LaunchFacts"/> with the next tick.</summary>
    public bool WantsLaunchFacts => Live && Step == ExecutionStep.None && Record is { Run: null, State: JobState.Admitted or JobState.Queued };

    /// <summary>True when the decider would place the run with <see cref="LaunchFacts"/> gathered at <paramref name="now"/> (not before its recheck).</summary>
    public bool WantsLaunchFactsAt(DateTimeOffset now) => WantsLaunchFacts && now >= NextLaunchAt;

    /// <summary>A fresh execution, not offered yet.</summary>
    public static ExecutionState New(JobRef job, int epoch) => new() { Job = job, Epoch = epoch };

    /// <summary>An execution read back from storage: the lease clock counts from the last renewal persisted; a renewal is due at once.</summary>
    public static ExecutionState Restore(JobRef job, int epoch, ExecutionRecord? record, long reportSequence, bool fencedBeforeOffer) => new()
    {
        Job = job,
        Epoch = epoch,
        Record = record,
        ReportSequence = reportSequence,
        FencedBeforeOffer = fencedBeforeOffer,
        LeaseHeardAt = record?.LeaseRenewedAt ?? default,
    };

    /// <summary>True for states an execution never leaves: finished, or given back.</summary>
    public static bool IsOver(JobState state) => state.IsFinished() || state == JobState.Requeued;
}
