using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Lifecycle.Executions;
using Federation.Lifecycle.Jobs;
using Federation.Protocol.Messages;
using static Federation.Lifecycle.Tests.Simulation.FederationSimulation;
using Input = Federation.Lifecycle.Tests.Simulation.SimulationInput<Federation.Protocol.Messages.FederationMessage, Federation.Lifecycle.Tests.Simulation.FederationSimulation.Command>;

namespace Federation.Lifecycle.Tests.Simulation;

/// <summary>
/// A nation of the simulated federation: the real <see cref="JobLifecycle"/> and
/// <see cref="ExecutionLifecycle"/> behind a model of what <c>JobGrain</c>, <c>ExecutionGrain</c>,
/// their outbox senders, the courier, the planner and the executor do around them: write state and
/// outbox before sending (and only when the grain would), send each outbox message once at a time
/// with capped exponential backoff, renew leases as unpersisted calls, tick on timers, run effects in
/// or outside the turn, and on restart resume from what was written (<c>ClockResumed</c>,
/// <c>ExecutionState.Restore</c>, reconciling processes that should not run).
/// </summary>
public sealed partial class FederationSimulationNode(FederationSimulationSettings settings)
    : ISimulationNode<Nation, FederationMessage, Command>
{
    /// <summary>The settings the nations run with.</summary>
    public FederationSimulationSettings Settings => settings;

    /// <inheritdoc />
    public Nation Initial(NationCode nation) => Nation.Empty(settings.Accelerators);

    /// <inheritdoc />
    public SimulationNodeStep<Nation, FederationMessage, Command> Step(NationCode nation, Nation state, Input input, DateTimeOffset now)
    {
        var turn = new FederationSimulationTurn(nation, state, now);
        switch (input)
        {
            case Input.Commanded { Command: UserSubmits submit }:
                Submit(turn, submit);
                break;
            case Input.Commanded { Command: UserCancels cancel }:
                UserCancel(turn, cancel.Job);
                break;
            case Input.TimerFired { Command: PlanAnswered plan } when turn.State.Jobs.TryGetValue(plan.Job.ToString(), out var job):
                ApplyJob(turn, plan.Job.ToString(), new PlanCompleted(plan.Attempt, job.Decision, null));
                break;
            case Input.TimerFired { Command: EffectDone done }:
                EffectCameBack(turn, done);
                break;
            case Input.Delivered delivered:
                Receive(turn, delivered.From, delivered.Message);
                break;
            case Input.Replied replied:
                Answered(turn, replied.Tag, replied.Reply, null);
                break;
            case Input.CallFailed failed:
                Answered(turn, failed.Tag, null, failed.Reason);
                break;
            case Input.Ticked:
                Tick(turn);
                break;
            case Input.Restarted:
                Restart(turn);
                break;
            default:
                break;
        }

        return turn.Build();
    }

    /// <inheritdoc />
    public string Describe(object item) => FederationSimulationText.Describe(item);

    private void Submit(FederationSimulationTurn turn, UserSubmits submit)
    {
        var key = submit.Job.ToString();
        var isNew = !turn.State.Jobs.ContainsKey(key);
        if (isNew)
        {
            var empty = JobLifecycleState.Empty(submit.Job);
            turn.State = turn.State with { Jobs = turn.State.Jobs.Add(key, new OriginJob(empty, empty, submit.Decision)) };
        }

        var step = ApplyJob(turn, key, new SubmitJob(submit.Spec, submit.Decision));
        if (step.Decision.Accepted)
        {
            turn.Events.Add(new JobAcknowledged(submit.Job));
        }
        else if (isNew)
        {
            turn.State = turn.State with { Jobs = turn.State.Jobs.Remove(key) };
        }
    }

    private void UserCancel(FederationSimulationTurn turn, JobRef job)
    {
        var key = job.ToString();
        if (turn.State.Jobs.ContainsKey(key))
        {
            ApplyJob(turn, key, new CancelRequested("cancelled by its user"));
        }
        else
        {
            turn.Reject(JobLifecycle.Decide(JobLifecycleState.Empty(job), new CancelRequested("cancelled by its user"), turn.Now, settings.Jobs).Decision.Rejected);
        }
    }

    private void Receive(FederationSimulationTurn turn, NationCode from, FederationMessage message)
    {
        switch (message)
        {
            case OfferMessage offer:
                Offered(turn, from, offer.Offer);
                break;
            case CancellationMessage cancellation:
                Cancelled(turn, from, cancellation.Cancellation);
                break;
            case ReportMessage report:
                Reported(turn, from, report.Report);
                break;
            case RenewalMessage renewal:
                var key = renewal.Job.ToString();
                turn.Reply = turn.State.Jobs.ContainsKey(key)
                    ? ApplyJob(turn, key, new RenewalReceived(from, renewal.Epoch)).LeaseAnswer
                    : Unknown(turn, renewal.Job, new RenewalReceived(from, renewal.Epoch)).LeaseAnswer;
                break;
            default:
                break;
        }
    }

    private void Reported(FederationSimulationTurn turn, NationCode from, ExecutionReport report)
    {
        var key = report.Job.ToString();
        if (!turn.State.Jobs.TryGetValue(key, out var job))
        {
            turn.Reply = Unknown(turn, report.Job, new ReportReceived(from, report)).ReportAnswer;
            return;
        }

        var held = job.Live.Record;
        var step = ApplyJob(turn, key, new ReportReceived(from, report));
        turn.Reply = step.ReportAnswer;
        if (step.Decision.Accepted && !ReferenceEquals(step.State, job.Live))
        {
            turn.Events.Add(new ReportAccepted(report.Job, from, report.Epoch, report.State, held?.Epoch ?? 0, held?.Nation));
        }
    }

    private JobStep Unknown(FederationSimulationTurn turn, JobRef job, JobInput input)
    {
        var step = JobLifecycle.Decide(JobLifecycleState.Empty(job), input, turn.Now, settings.Jobs);
        turn.Reject(step.Decision.Rejected);
        return step;
    }

    /// <summary>One decision of a job's decider, as <c>JobGrain.StepAsync</c> applies it.</summary>
    private JobStep ApplyJob(FederationSimulationTurn turn, string key, JobInput input)
    {
        var job = turn.State.Jobs[key];
        var before = job.Live;
        var step = JobLifecycle.Decide(before, input, turn.Now, settings.Jobs);
        if (step.Decision.Rejected is { } rejected)
        {
            turn.Reject(rejected);
            return step;
        }

        var after = step.State;
        var sent = after.Outbox.Where(m => !before.Outbox.Any(b => b.Id == m.Id)).ToList();
        var dropped = before.Outbox.Where(m => !after.Outbox.Any(a => a.Id == m.Id)).ToList();
        var written = !step.Decision.Events.IsEmpty || sent.Count > 0 || dropped.Count > 0 ? after : job.Written;
        turn.State = turn.State with { Jobs = turn.State.Jobs.SetItem(key, job with { Live = after, Written = written }) };
        dropped.ForEach(m => turn.Forget(m.Id));
        sent.ForEach(m => turn.Send(key, m));
        if (after.PlanAttempt > before.PlanAttempt)
        {
            turn.Timers.Add((settings.PlanDelay, new PlanAnswered(before.Job, after.PlanAttempt)));
        }

        foreach (var evt in step.Decision.Events)
        {
            turn.Events.Add(new JobEventRecorded(before.Job, evt));
        }

        return step;
    }

    private void Answered(FederationSimulationTurn turn, object tag, object? reply, string? failure)
    {
        switch (tag)
        {
            case RenewalCall renewal when turn.State.Executions.TryGetValue(renewal.Execution, out var execution) && execution.Renewal == renewal.Id:
                Store(turn, renewal.Execution, execution with { Renewal = null });
                ApplyExecution(turn, renewal.Execution, new LeaseAnswered(failure is null, reply as LeaseAnswer));
                break;
            case OutboxCall call when turn.State.Jobs.ContainsKey(call.Owner):
                var attempts = turn.Ended(call.Id, failure is null);
                var delivery = failure is null
                    ? new Delivery { Delivered = true, Admission = reply as Admission, ReportAnswer = reply as ReportAnswer, LeaseAnswer = reply as LeaseAnswer }
                    : Delivery.Failed(failure);
                ApplyJob(turn, call.Owner, new MessageDelivered(call.Id, delivery, attempts));
                break;
            case OutboxCall call when turn.State.Executions.TryGetValue(call.Owner, out var execution):
                turn.Ended(call.Id, failure is null);
                ReportDelivered(turn, call, execution, reply, failure is null);
                break;
            case OutboxCall call:
                turn.Ended(call.Id, failure is null);
                break;
            default:
                break;
        }
    }
}
