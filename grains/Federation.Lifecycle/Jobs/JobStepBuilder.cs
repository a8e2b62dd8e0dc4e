using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Protocol.Messages;

namespace Federation.Lifecycle.Jobs;

/// <summary>Accumulates one step of <see cref="JobLifecycle"/>: the state as it changes, the events and the messages.</summary>
internal sealed class JobStepBuilder(JobLifecycleState state, DateTimeOffset now, JobLifecycleSettings settings)
{
    private readonly ImmutableArray<JobEvent>.Builder _events = ImmutableArray.CreateBuilder<JobEvent>();
    private readonly ImmutableArray<Outgoing>.Builder _send = ImmutableArray.CreateBuilder<Outgoing>();

    public JobLifecycleState State { get; set; } = state;

    public DateTimeOffset Now => now;

    public JobLifecycleSettings Settings => settings;

    public JobRecord Record => State.Record!;

    /// <summary>Records <paramref name="record"/> as the job's new state, with one event saying why.</summary>
    public JobRecord Commit(JobRecord record, string message, NationCode? nation = null, double? progress = null)
    {
        var sequence = (State.Record?.LastEvent ?? 0) + 1;
        var committed = record with { UpdatedAt = now, Version = (State.Record?.Version ?? 0) + 1, LastEvent = sequence };
        var evt = new JobEvent(sequence, now, committed.State, committed.Epoch, nation ?? committed.Nation, message, progress);
        var events = State.Events.Add(evt);
        if (events.Count > settings.MaxEvents)
        {
            events = events.RemoveRange(0, events.Count - settings.MaxEvents);
        }

        State = State with { Record = committed, Events = events };
        _events.Add(evt);
        return committed;
    }

    /// <summary>Writes <paramref name="message"/> to the outbox (to be sent now, and again until acknowledged).</summary>
    public OutboxMessage Enqueue(NationCode to, FederationMessage message)
    {
        var number = State.OutboxSequence + 1;
        var outbox = new OutboxMessage { Id = RequestId(State.Job, Record.SubmittedAt, number), To = to, CreatedAt = now, Message = message, TraceParent = State.TraceParent };
        State = State with { Outbox = State.Outbox.Add(outbox), OutboxSequence = number };
        _send.Add(new Outgoing(to, message));
        return outbox;
    }

    /// <summary>Drops <paramref name="message"/> from the outbox.</summary>
    public void Remove(OutboxMessage message) => State = State with { Outbox = State.Outbox.Remove(message) };

    /// <summary>Asks for a new plan: the next attempt, awaited from now.</summary>
    public void RequestPlan() => State = State with { PlanAttempt = State.PlanAttempt + 1, PlanRequestedAt = now };

    public Decision<JobLifecycleState, JobEvent> Build() => new(State, _send.ToImmutable(), _events.ToImmutable());

    /// <summary>
    /// A request id that is the same whenever the same job (by id and submission instant) writes
    /// its n-th message, so that a step can be replayed, and different for every other message.
    /// </summary>
    private static Guid RequestId(JobRef job, DateTimeOffset submittedAt, long number)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{job}|{submittedAt.UtcTicks}|{number}"), hash);
        return new Guid(hash[..16]);
    }
}
