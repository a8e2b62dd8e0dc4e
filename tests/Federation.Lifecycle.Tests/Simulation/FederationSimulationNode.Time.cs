using Federation.Lifecycle.Executions;
using Federation.Lifecycle.Jobs;

namespace Federation.Lifecycle.Tests.Simulation;

/// <summary>The grains' timers and a restart from what was written.</summary>
public sealed partial class FederationSimulationNode
{
    /// <summary>
    /// Every grain's timer: send what is due, then tick the decider (as <c>TickAsync</c> does) when
    /// its next due time (<c>NextDue</c>, which arms the grains' timers) has come, so that a due time
    /// that is too late shows as a broken invariant.
    /// </summary>
    private void Tick(FederationSimulationTurn turn)
    {
        foreach (var key in turn.State.Jobs.Keys)
        {
            var job = turn.State.Jobs[key];
            turn.SendDue(key, job.Live.Outbox);
            if (JobLifecycle.NeedsTicks(job.Live) && JobLifecycle.NextDue(job.Live, settings.Jobs) is { } due && due <= turn.Now)
            {
                ApplyJob(turn, key, new JobTick());
            }
        }

        foreach (var key in turn.State.Executions.Keys)
        {
            var execution = turn.State.Executions[key];
            turn.SendDue(key, execution.Outbox);
            if (!execution.Live.Live && execution.Live.Step == ExecutionStep.None)
            {
                continue;
            }

            if (ExecutionLifecycle.NextDue(execution.Live, settings.Executions) is not { } due || due > turn.Now)
            {
                continue;
            }

            ApplyExecution(turn, key, new Tick(execution.Live.WantsLaunchFacts ? Facts(turn) : null));
        }
    }

    private LaunchFacts Facts(FederationSimulationTurn turn) =>
        new(turn.Local, WorkloadAllowed: true, Simulated: false, [PoolOf(turn)]);

    /// <summary>The nation's one pool of agent-managed nodes, as it is now.</summary>
    private PoolLine PoolOf(FederationSimulationTurn turn) =>
        new("agents", false, settings.Accelerator, turn.State.FreeAccelerators, settings.Accelerators, 80);

    /// <summary>
    /// The nation starts again: what lived in memory is gone (senders, pre-offer fences, renewals on
    /// their way); jobs resume from what their grains wrote (<see cref="ClockResumed"/>), executions
    /// are restored from theirs, and processes that should not run are stopped (<c>ReconcileAsync</c>).
    /// </summary>
    private void Restart(FederationSimulationTurn turn)
    {
        turn.State = turn.State with { Retries = turn.State.Retries.Clear(), InFlight = turn.State.InFlight.Clear(), PreOfferFences = turn.State.PreOfferFences.Clear() };
        foreach (var key in turn.State.Jobs.Keys)
        {
            var job = turn.State.Jobs[key];
            turn.State = turn.State with { Jobs = turn.State.Jobs.SetItem(key, job with { Live = job.Written }) };
            ApplyJob(turn, key, new ClockResumed());
        }

        foreach (var key in turn.State.Executions.Keys)
        {
            var execution = turn.State.Executions[key];
            var restored = ExecutionState.Restore(execution.Live.Job, execution.Live.Epoch, execution.WrittenRecord, execution.WrittenSequence, fencedBeforeOffer: false);
            Store(turn, key, execution with { Live = restored, Outbox = execution.WrittenOutbox, Renewal = null });
            if (!restored.Live && restored.Record?.Run?.Handle is { } handle)
            {
                StopProcess(turn, handle, "reconciled at restart: its execution is over");
            }
        }
    }
}
