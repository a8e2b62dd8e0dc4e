using Federation.Contracts.Jobs;
using Federation.Protocol.Messages;

namespace Federation.Lifecycle.Executions;

/// <summary>One step of the decider being built: the state so far, the messages and the effects.</summary>
internal sealed class ExecutionPlan(ExecutionState state)
{
    private readonly List<Outgoing> _send = [];
    private readonly List<ExecutionEffect> _effects = [];

    public ExecutionState State { get; set; } = state;

    public ExecutionRecord Record => State.Record!;

    public void Do(ExecutionEffect effect) => _effects.Add(effect);

    public void Send(FederationMessage message) => _send.Add(new Outgoing(State.Job.Origin, message));

    /// <summary>Writes <paramref name="record"/> and reports it to the origin.</summary>
    public void Report(ExecutionRecord record, string message, double? progress = null, JobResult? result = null)
    {
        var sequence = State.ReportSequence + 1;
        State = State with { Record = record with { Version = record.Version + 1 }, ReportSequence = sequence };
        Send(new ReportMessage(new ExecutionReport
        {
            Job = State.Job,
            Epoch = State.Epoch,
            Sequence = sequence,
            State = record.State,
            Message = message,
            Progress = progress,
            Result = result,
        }));
    }

    /// <summary>Writes <paramref name="record"/> without a report.</summary>
    public void Write(ExecutionRecord record) => State = State with { Record = record with { Version = record.Version + 1 } };

    public Decision<ExecutionState, ExecutionEffect> Decided() => new(State, [.. _send], [.. _effects]);
}
