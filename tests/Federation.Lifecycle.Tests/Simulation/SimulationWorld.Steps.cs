using System.Collections.Immutable;
using System.Globalization;
using Kind = Federation.Lifecycle.Tests.Simulation.SimulationEventKind;

namespace Federation.Lifecycle.Tests.Simulation;

public sealed partial class SimulationWorld<TState, TMessage, TCommand>
{
    /// <summary>
    /// One decision of nation <paramref name="n"/>, played as its adapter plays it: decide, persist the
    /// state and the outbox, check the invariants, then (unless the nation crashes right there) send
    /// and set timers. Null when the nation crashed before sending, or an invariant broke.
    /// </summary>
    private SimulationNodeStep<TState, TMessage, TCommand>? Step(int n, SimulationInput<TMessage, TCommand> input, string inputNote = "")
    {
        var before = _persisted[n];
        var now = NowAt(n);
        var step = _node.Step(_nations[n], before.State, input, now);
        _steps++;
        if (step.Rejected is { } rejected)
        {
            foreach (var rejection in rejected)
            {
                _rejections[rejection.Rule] = _rejections.GetValueOrDefault(rejection.Rule) + 1;
            }
        }

        var outbox = before.Outbox;
        var nextId = before.NextMessageId;
        var sent = step.Send.Count == 0 ? [] : new SimulationOutboxEntry<TMessage>[step.Send.Count];
        for (var i = 0; i < sent.Length; i++)
        {
            var (to, message) = step.Send[i];
            sent[i] = new SimulationOutboxEntry<TMessage>(nextId++, to, message, now + Options.RetryInterval, 1);
        }

        if (sent.Length > 0)
        {
            outbox = outbox.AddRange(sent);
        }

        _persisted[n] = new SimulationPersistedNation<TState, TMessage>(step.State, outbox, nextId);
        if (_trace is not null)
        {
            // Idle ticks are left out of the trace: they are most steps and say nothing.
            var idle = step.Rejected is not { Count: > 0 } && sent.Length == 0 && step.Events.Count == 0 && step.Timers is not { Count: > 0 }
                && EqualityComparer<TState>.Default.Equals(before.State, step.State);
            if (!(idle && input is SimulationInput<TMessage, TCommand>.Ticked))
            {
                Note(n, Describe(input) + inputNote, Describe(step, sent, idle));
            }
        }

        for (var i = 0; i < _invariants.Count; i++)
        {
            if (_invariants[i].AfterStep(this, _nations[n], input, before.State, step) is { } broken)
            {
                _violation = $"[{_invariants[i].Name}] after {_nations[n]} took {Describe(input)}: {broken}";
                return null;
            }
        }

        if (!ChaosOver && _random.Chance(_crashBeforeSend))
        {
            Crash(n, _random.Between(TimeSpan.FromMilliseconds(100), Options.MaxDowntime), "after persisting, before sending");
            return null;
        }

        foreach (var entry in sent)
        {
            Send(n, entry);
        }

        if (step.Timers is { } timers)
        {
            foreach (var (after, command) in timers)
            {
                _scheduler.Schedule(_clock.Elapsed + after, new SimulationEvent(Kind.Timer, n, Incarnation: _incarnation[n], Payload: command));
            }
        }

        if (step.Calls is { } calls)
        {
            foreach (var (to, message, tag) in calls)
            {
                Call(n, IndexOf(to), message, tag);
            }
        }

        return step;
    }

    private void Call(int from, int to, TMessage message, object tag)
    {
        var id = ++_lastCall;
        _calls.Add(id, (from, _incarnation[from], tag));
        Span<TimeSpan> delays = stackalloc TimeSpan[2];
        var copies = _network.Plan(from, to, _random, delays);
        for (var i = 0; i < copies; i++)
        {
            _scheduler.Schedule(_clock.Elapsed + delays[i], new SimulationEvent(Kind.Call, to, from, _incarnation[from], id, message));
        }

        _scheduler.Schedule(_clock.Elapsed + Options.CallTimeout, new SimulationEvent(Kind.CallTimeout, from, to, _incarnation[from], id));
    }

    private void Send(int from, SimulationOutboxEntry<TMessage> entry)
    {
        var to = IndexOf(entry.To);
        Span<TimeSpan> delays = stackalloc TimeSpan[2];
        var copies = _network.Plan(from, to, _random, delays);
        for (var i = 0; i < copies; i++)
        {
            _scheduler.Schedule(
                _clock.Elapsed + delays[i],
                new SimulationEvent(Kind.Deliver, to, from, _incarnation[from], entry.Id, entry.Message));
        }
    }

    private void Crash(int n, TimeSpan downtime, string when = "")
    {
        _up[n] = false;
        _incarnation[n]++;
        Note(n, "CRASH" + (when.Length > 0 ? " " + when : ""), string.Create(CultureInfo.InvariantCulture, $"down for {downtime.TotalSeconds:F3}s"));
        _scheduler.Schedule(_clock.Elapsed + downtime, new SimulationEvent(Kind.Restart, n, Incarnation: _incarnation[n]));
    }

    private void Restart(int n)
    {
        _up[n] = true;
        _incarnation[n]++;
        if (Step(n, SimulationInput<TMessage, TCommand>.Restarted.Instance) is null)
        {
            return;
        }

        // An adapter that starts again resends its whole outbox at once.
        var persisted = _persisted[n];
        var now = NowAt(n);
        var outbox = persisted.Outbox;
        for (var i = 0; i < outbox.Count; i++)
        {
            var entry = outbox[i] with { NextAttempt = now + Options.RetryInterval, Attempts = outbox[i].Attempts + 1 };
            outbox = outbox.SetItem(i, entry);
            Send(n, entry);
        }

        _persisted[n] = persisted with { Outbox = outbox };
        ScheduleTick(n);
    }

    private void EndChaos()
    {
        ChaosOver = true;
        _network.HealAll();
        _network.Faults = SimulationNetworkFaults.Calm;
        Note(-1, "chaos over", "links healed, network calm, crashed nations restart");
        for (var n = 0; n < _nations.Length && _violation is null; n++)
        {
            if (!_up[n])
            {
                Restart(n);
            }
        }
    }

    /// <summary>Draws the seed's fault levels, crashes, cuts and workload, and the first ticks.</summary>
    private void PlanRun()
    {
        var faults = _random.Fork();
        _chaosFaults = SimulationNetworkFaults.Draw(faults, Options.MaxFaults);
        _crashBeforeSend = faults.Chance(0.5) ? 0 : faults.NextDouble() * Options.MaxCrashBeforeSend;
        _network.Faults = _chaosFaults;
        var chaos = Options.ChaosDuration;
        for (var n = 0; n < _nations.Length; n++)
        {
            for (var crashes = faults.Next(Options.MaxCrashesPerNation + 1); crashes > 0; crashes--)
            {
                var downtime = faults.Between(TimeSpan.FromMilliseconds(100), Options.MaxDowntime);
                _scheduler.Schedule(faults.Between(TimeSpan.Zero, chaos), new SimulationEvent(Kind.Crash, n, Payload: downtime));
            }
        }

        for (var cuts = _nations.Length < 2 ? 0 : faults.Next(Options.MaxLinkCuts + 1); cuts > 0; cuts--)
        {
            var a = faults.Next(_nations.Length);
            var b = (a + faults.Next(1, _nations.Length)) % _nations.Length;
            var at = faults.Between(TimeSpan.Zero, chaos);
            _scheduler.Schedule(at, new SimulationEvent(Kind.Cut, a, b));
            _scheduler.Schedule(at + faults.Between(TimeSpan.FromMilliseconds(100), Options.MaxCutDuration), new SimulationEvent(Kind.Heal, a, b));
        }

        foreach (var (at, nation, command) in _scenario.Workload(_random.Fork(), _nations, Options))
        {
            _scheduler.Schedule(at, new SimulationEvent(Kind.Command, IndexOf(nation), Payload: command));
        }

        for (var n = 0; n < _nations.Length; n++)
        {
            _scheduler.Schedule(_random.Between(TimeSpan.Zero, Options.TickInterval), new SimulationEvent(Kind.Tick, n));
        }

        _scheduler.Schedule(chaos, new SimulationEvent(Kind.EndChaos, -1));
    }

    private void Note(int n, string input, string outcome) =>
        _trace?.Add(_clock.Elapsed, n < 0 ? "*" : _nations[n].ToString(), input, outcome);

    private string Describe(SimulationInput<TMessage, TCommand> input) => input switch
    {
        SimulationInput<TMessage, TCommand>.Delivered d => $"from {d.From}: {_node.Describe(d.Message!)}",
        SimulationInput<TMessage, TCommand>.Commanded c => "user: " + _node.Describe(c.Command!),
        SimulationInput<TMessage, TCommand>.TimerFired t => "timer: " + _node.Describe(t.Command!),
        SimulationInput<TMessage, TCommand>.Restarted => "RESTART from persisted state",
        SimulationInput<TMessage, TCommand>.Replied r => $"answer to {_node.Describe(r.Tag)}: {(r.Reply is null ? "(none)" : _node.Describe(r.Reply))}",
        SimulationInput<TMessage, TCommand>.CallFailed f => $"call {_node.Describe(f.Tag)} failed: {f.Reason}",
        _ => "tick",
    };

    private string Describe(SimulationNodeStep<TState, TMessage, TCommand> step, SimulationOutboxEntry<TMessage>[] sent, bool idle)
    {
        var parts = new List<string>();
        if (step.Rejected is { Count: > 0 } rejected)
        {
            parts.AddRange(rejected.Select(r => $"REJECTED {r.Rule}: {r.Message}"));
        }

        if (step.Events.Count > 0)
        {
            parts.Add("events " + string.Join("; ", step.Events.Select(_node.Describe)));
        }

        parts.AddRange(sent.Select(entry => $"send #{entry.Id} to {entry.To}: {_node.Describe(entry.Message!)}"));
        if (step.Calls is { } calls)
        {
            parts.AddRange(calls.Select(call => $"call {call.To}: {_node.Describe(call.Message!)}"));
        }

        if (step.Timers is { Count: > 0 } timers)
        {
            parts.Add("timers " + string.Join("; ", timers.Select(t => $"{_node.Describe(t.Command!)} in {t.After.TotalSeconds:F1}s")));
        }

        if (step.Reply is { } reply)
        {
            parts.Add("answer " + _node.Describe(reply));
        }

        return parts.Count > 0 ? string.Join(" | ", parts) : idle ? "no change" : "state changed";
    }
}
