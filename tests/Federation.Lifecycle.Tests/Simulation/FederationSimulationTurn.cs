using Federation.Contracts.Ids;
using Federation.Protocol.Messages;
using static Federation.Lifecycle.Tests.Simulation.FederationSimulation;

namespace Federation.Lifecycle.Tests.Simulation;

/// <summary>
/// One step of a simulated nation being built: the state as it changes, and what the step sends,
/// sets, records, refuses and answers. It also plays the outbox sender (<c>OutboxSender</c>): one
/// send of a message at a time, capped exponential backoff after a failure.
/// </summary>
public sealed class FederationSimulationTurn(NationCode local, Nation state, DateTimeOffset now)
{
    /// <summary>This nation.</summary>
    public NationCode Local => local;

    /// <summary>The nation's clock.</summary>
    public DateTimeOffset Now => now;

    /// <summary>The state so far.</summary>
    public Nation State { get; set; } = state;

    /// <summary>Calls made.</summary>
    public List<(NationCode To, FederationMessage Message, object Tag)> Calls { get; } = [];

    /// <summary>Timers set.</summary>
    public List<(TimeSpan After, Command Command)> Timers { get; } = [];

    /// <summary>What happened.</summary>
    public List<object> Events { get; } = [];

    /// <summary>What the deciders refused.</summary>
    public List<Rejection> Rejections { get; } = [];

    /// <summary>The answer to the delivered message.</summary>
    public object? Reply { get; set; }

    /// <summary>A request id, unique in this nation and the same on every replay of the seed.</summary>
    public Guid NextId()
    {
        State = State with { Counter = State.Counter + 1 };
        return new Guid((int)State.Counter, (short)local.Value[0], (short)local.Value[1], 0, 0, 0, 0, 0, 0, 0, (byte)(State.Counter >> 32));
    }

    /// <summary>Counts a refusal.</summary>
    public void Reject(Rejection? rejection)
    {
        if (rejection is not null)
        {
            Rejections.Add(rejection);
        }
    }

    /// <summary>Sends <paramref name="message"/> of <paramref name="owner"/> unless it is already on its way.</summary>
    public void Send(string owner, OutboxMessage message)
    {
        if (!State.InFlight.Contains(message.Id))
        {
            State = State with { InFlight = State.InFlight.Add(message.Id) };
            Calls.Add((message.To, message.Message, new OutboxCall(owner, message.Id, message.Kind)));
        }
    }

    /// <summary>Sends every message of <paramref name="outbox"/> neither on its way nor waiting out a backoff.</summary>
    public void SendDue(string owner, IEnumerable<OutboxMessage> outbox)
    {
        foreach (var message in outbox)
        {
            if (!State.InFlight.Contains(message.Id) && (!State.Retries.TryGetValue(message.Id, out var retry) || retry.NextAt <= now))
            {
                Send(owner, message);
            }
        }
    }

    /// <summary>A send ended; the failed attempts so far (0 when delivered).</summary>
    public int Ended(Guid id, bool delivered)
    {
        State = State with { InFlight = State.InFlight.Remove(id) };
        if (delivered)
        {
            State = State with { Retries = State.Retries.Remove(id) };
            return 0;
        }

        var attempts = (State.Retries.TryGetValue(id, out var retry) ? retry.Attempts : 0) + 1;
        var backoff = TimeSpan.FromMilliseconds(Math.Min(250 * (1 << Math.Min(attempts, 6)), 10_000));
        State = State with { Retries = State.Retries.SetItem(id, (attempts, now + backoff)) };
        return attempts;
    }

    /// <summary>Forgets a message dropped from its outbox.</summary>
    public void Forget(Guid id) =>
        State = State with { InFlight = State.InFlight.Remove(id), Retries = State.Retries.Remove(id) };

    /// <summary>The step.</summary>
    public SimulationNodeStep<Nation, FederationMessage, Command> Build() =>
        new(State, [], Events, Rejections.Count == 0 ? null : Rejections, Timers.Count == 0 ? null : Timers, Calls.Count == 0 ? null : Calls, Reply);
}
