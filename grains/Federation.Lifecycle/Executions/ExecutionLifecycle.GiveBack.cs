using Federation.Contracts.Jobs;

namespace Federation.Lifecycle.Executions;

/// <content>
/// The operator's give-back of a live epoch (a draining nation). It follows the lease-loss give-back:
/// the run is stopped and its accelerators released, and the final report says <see cref="JobState.Requeued"/>
/// with the epoch, so that the origin's fences hold: it plans the job again with a higher epoch, and
/// any later message of this epoch is stale there. An epoch that is no longer live (never admitted,
/// finished, given back or fenced) has nothing to give back: the input is rejected and changes nothing,
/// so a repeated give-back sends no second report.
/// </content>
public static partial class ExecutionLifecycle
{
    /// <summary>The rule a give-back of an epoch that is not live is refused by.</summary>
    public const string NothingToGiveBack = "nothing-to-give-back";

    private static Decision<ExecutionState, ExecutionEffect> GiveBack(ExecutionState state, GiveBackRequested input, DateTimeOffset now)
    {
        if (!state.Live)
        {
            var why = state.Record is { } record ? $"it is {record.State.ToString().ToLowerInvariant()}{(record.Fenced ? " (fenced)" : "")}" : "it was never admitted";
            return Reject(state, NothingToGiveBack, $"epoch {state.Epoch} of {state.Job} cannot be given back: {why}");
        }

        return Stop(new ExecutionPlan(state), JobState.Requeued, $"given back: {(string.IsNullOrWhiteSpace(input.Reason) ? "the operator gave the epoch back" : input.Reason)}", fenced: false, now).Decided();
    }
}
