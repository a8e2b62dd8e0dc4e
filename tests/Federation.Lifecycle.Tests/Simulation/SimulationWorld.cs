using Federation.Contracts.Ids;
using Kind = Federation.Lifecycle.Tests.Simulation.SimulationEventKind;

namespace Federation.Lifecycle.Tests.Simulation;

/// <summary>
/// One seeded run of a scenario: the nations, the adapter around each (persist state and outbox,
/// send, resend until acknowledged, ticks, timers, crash and restart), the network and the fault
/// plan, all driven by one <see cref="SimulationRandom"/> and one <see cref="SimulationClock"/>.
/// Invariants are checked after every decision; the first violation ends the run.
/// </summary>
public sealed partial class SimulationWorld<TState, TMessage, TCommand> : ISimulationView<TState>
{
    private readonly long _seed;
    private readonly ISimulationScenario<TState, TMessage, TCommand> _scenario;
    private readonly ISimulationNode<TState, TMessage, TCommand> _node;
    private readonly SimulationRandom _random;
    private readonly SimulationClock _clock = new();
    private readonly SimulationScheduler<SimulationEvent> _scheduler = new();
    private readonly SimulationNetwork _network;
    private readonly NationCode[] _nations;
    private readonly TimeSpan[] _skew;
    private readonly bool[] _up;
    private readonly int[] _incarnation;
    private readonly SimulationPersistedNation<TState, TMessage>[] _persisted;
    private readonly IReadOnlyList<ISimulationInvariant<TState, TMessage, TCommand>> _invariants;
    private readonly SortedDictionary<string, int> _rejections = new(StringComparer.Ordinal);
    private readonly SimulationTrace? _trace;
    private readonly Dictionary<long, (int Nation, int Incarnation, object Tag)> _calls = [];
    private long _lastCall;
    private SimulationNetworkFaults _chaosFaults = SimulationNetworkFaults.Calm;
    private double _crashBeforeSend;
    private long _steps;
    private int _commandsWhileDown;
    private string? _violation;

    public SimulationWorld(long seed, ISimulationScenario<TState, TMessage, TCommand> scenario, SimulationOptions options, bool trace = false)
    {
        if (options.Nations.Count == 0 || options.Nations.Distinct().Count() != options.Nations.Count)
        {
            throw new ArgumentException("SimulationOptions.Nations must name at least one nation, each once.", nameof(options));
        }

        _seed = seed;
        _scenario = scenario;
        _node = scenario.Node;
        Options = options;
        _random = new SimulationRandom(seed);
        _nations = [.. options.Nations];
        var count = _nations.Length;
        _network = new SimulationNetwork(count) { Batching = options.Batching, Clock = () => _clock.Elapsed };
        _skew = new TimeSpan[count];
        _up = new bool[count];
        _incarnation = new int[count];
        _persisted = new SimulationPersistedNation<TState, TMessage>[count];
        for (var i = 0; i < count; i++)
        {
            _skew[i] = _random.Between(-options.MaxClockSkew, options.MaxClockSkew);
            _up[i] = true;
            _persisted[i] = new(_node.Initial(_nations[i]), [], 1);
        }

        _invariants = scenario.Invariants();
        _trace = trace ? new SimulationTrace(options.TraceCapacity) : null;
    }

    /// <inheritdoc />
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <inheritdoc />
    public IReadOnlyList<NationCode> Nations => _nations;

    /// <inheritdoc />
    public bool ChaosOver { get; private set; }

    /// <inheritdoc />
    public SimulationOptions Options { get; }

    /// <inheritdoc />
    public TState StateOf(int nation) => _persisted[nation].State;

    /// <summary>What a nation has persisted, outbox included.</summary>
    public SimulationPersistedNation<TState, TMessage> PersistedOf(int nation) => _persisted[nation];

    /// <inheritdoc />
    public bool IsUp(int nation) => _up[nation];

    /// <inheritdoc />
    public TimeSpan SkewOf(int nation) => _skew[nation];

    /// <inheritdoc />
    public int IndexOf(NationCode nation)
    {
        for (var i = 0; i < _nations.Length; i++)
        {
            if (_nations[i] == nation)
            {
                return i;
            }
        }

        throw new ArgumentException($"'{nation}' is not a nation of this run ({string.Join(", ", _nations)}).", nameof(nation));
    }

    /// <summary>Runs the seed to its end: a violation, the scenario settled, or the time bound.</summary>
    public SimulationOutcome Run()
    {
        PlanRun();
        var deadline = Options.ChaosDuration + Options.SettleBound;
        var settled = false;
        while (_violation is null && _scheduler.TryTake(out var at, out var next))
        {
            if (at > deadline)
            {
                break;
            }

            _clock.AdvanceTo(at);
            Handle(next);
            if (ChaosOver && _violation is null && next.Kind is Kind.Tick or Kind.EndChaos && _scenario.Unsettled(this) is null)
            {
                settled = true;
                break;
            }
        }

        if (_violation is null && !settled && _scenario.Unsettled(this) is { } open)
        {
            _violation = $"[liveness] not settled {Options.SettleBound} after the chaos phase ended: {open}";
        }

        for (var i = 0; _violation is null && i < _invariants.Count; i++)
        {
            if (_invariants[i].AtEnd(this) is { } broken)
            {
                _violation = $"[{_invariants[i].Name}] at the end: {broken}";
            }
        }

        if (_violation is not null)
        {
            Note(-1, "VIOLATION", _violation);
        }

        return new SimulationOutcome(_seed, _violation, _steps, _clock.Elapsed, _rejections, _commandsWhileDown, _trace);
    }

    private void Handle(SimulationEvent e)
    {
        switch (e.Kind)
        {
            case Kind.Deliver or Kind.Call:
                Deliver(e);
                break;
            case Kind.Acknowledge:
                Acknowledge(e);
                break;
            case Kind.Reply or Kind.CallTimeout:
                CallEnded(e);
                break;
            case Kind.Tick when _up[e.Nation] && _incarnation[e.Nation] == e.Incarnation:
                Tick(e.Nation);
                break;
            case Kind.Timer when _up[e.Nation] && _incarnation[e.Nation] == e.Incarnation:
                Step(e.Nation, new SimulationInput<TMessage, TCommand>.TimerFired((TCommand)e.Payload!));
                break;
            case Kind.Command when _up[e.Nation]:
                Step(e.Nation, new SimulationInput<TMessage, TCommand>.Commanded((TCommand)e.Payload!));
                break;
            case Kind.Command:
                _commandsWhileDown++;
                Note(e.Nation, "user: " + _node.Describe(e.Payload!), "refused: the nation is down");
                break;
            case Kind.Crash when _up[e.Nation]:
                Crash(e.Nation, (TimeSpan)e.Payload!);
                break;
            case Kind.Restart when !_up[e.Nation] && _incarnation[e.Nation] == e.Incarnation:
                Restart(e.Nation);
                break;
            case Kind.Cut:
                _network.Cut(e.Nation, e.Other);
                Note(e.Nation, $"link to {_nations[e.Other]} cut", "");
                break;
            case Kind.Heal:
                _network.Heal(e.Nation, e.Other);
                Note(e.Nation, $"link to {_nations[e.Other]} healed", "");
                break;
            case Kind.EndChaos:
                EndChaos();
                break;
            default:
                break;
        }
    }

    private void Deliver(SimulationEvent e)
    {
        var (to, from) = (e.Nation, e.Other);
        var message = (TMessage)e.Payload!;
        var id = e.Kind == Kind.Call ? $" call {e.MessageId}" : $" #{e.MessageId}";
        if (!_up[to] || _network.IsCut(from, to))
        {
            Note(to, $"from {_nations[from]}{id}: {_node.Describe(message!)}", _up[to] ? "lost: link cut" : "lost: nation down");
            return;
        }

        if (Step(to, new SimulationInput<TMessage, TCommand>.Delivered(_nations[from], message), id) is not { } step)
        {
            return;
        }

        // The answer travels back over the same faulty link (an HTTP response can be lost too).
        var answer = e.Kind == Kind.Call ? Kind.Reply : Kind.Acknowledge;
        Span<TimeSpan> delays = stackalloc TimeSpan[2];
        var copies = _network.Plan(to, from, _random, delays);
        for (var i = 0; i < copies; i++)
        {
            _scheduler.Schedule(_clock.Elapsed + delays[i], new SimulationEvent(answer, from, to, e.Incarnation, e.MessageId, step.Reply));
        }
    }

    private void CallEnded(SimulationEvent e)
    {
        // The first of the answer and the timeout ends a call; whatever comes after is dropped.
        if (!_calls.Remove(e.MessageId, out var call) || !_up[call.Nation] || _incarnation[call.Nation] != call.Incarnation)
        {
            return;
        }

        SimulationInput<TMessage, TCommand> input = e.Kind == Kind.Reply
            ? new SimulationInput<TMessage, TCommand>.Replied(call.Tag, e.Payload)
            : new SimulationInput<TMessage, TCommand>.CallFailed(call.Tag, $"no answer within {Options.CallTimeout.TotalSeconds:0.#} s");
        Step(call.Nation, input, $" (call {e.MessageId})");
    }

    private void Acknowledge(SimulationEvent e)
    {
        var n = e.Nation;
        if (!_up[n] || _incarnation[n] != e.Incarnation)
        {
            return;
        }

        var persisted = _persisted[n];
        var index = persisted.Outbox.FindIndex(entry => entry.Id == e.MessageId);
        if (index >= 0)
        {
            _persisted[n] = persisted with { Outbox = persisted.Outbox.RemoveAt(index) };
            Note(n, $"ack #{e.MessageId} from {_nations[e.Other]}", "dropped from the outbox");
        }
    }

    private void Tick(int n)
    {
        if (Step(n, SimulationInput<TMessage, TCommand>.Ticked.Instance) is null)
        {
            return;
        }

        var persisted = _persisted[n];
        var now = NowAt(n);
        var outbox = persisted.Outbox;
        for (var i = 0; i < outbox.Count; i++)
        {
            var entry = outbox[i];
            if (entry.NextAttempt <= now)
            {
                entry = entry with { NextAttempt = now + Options.RetryInterval, Attempts = entry.Attempts + 1 };
                outbox = outbox.SetItem(i, entry);
                Note(n, $"resend #{entry.Id} to {entry.To} (attempt {entry.Attempts})", _node.Describe(entry.Message!));
                Send(n, entry);
            }
        }

        _persisted[n] = persisted with { Outbox = outbox };
        ScheduleTick(n);
    }

    private void ScheduleTick(int n) =>
        _scheduler.Schedule(
            _clock.Elapsed + Options.TickInterval + _random.Between(TimeSpan.Zero, Options.TickJitter),
            new SimulationEvent(Kind.Tick, n, Incarnation: _incarnation[n]));

    private DateTimeOffset NowAt(int n) => _clock.Now + _skew[n];
}
