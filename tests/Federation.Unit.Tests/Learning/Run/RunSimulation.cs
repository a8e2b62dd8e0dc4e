using System.Collections.Immutable;
using System.Security.Cryptography;
using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Learning.Protocol;
using Federation.Learning.Quantisation;
using Federation.Learning.Run;
using Microsoft.Extensions.Time.Testing;
using LearningRule = Federation.Learning.Aggregation.AggregationRule;

namespace Federation.Unit.Tests.Learning.Run;

/// <summary>
/// An in-process federation of nations running one federated job through the real deciders: a coordinator
/// in the aggregating nation, a participant in each data nation, a message queue between them that loses
/// whatever goes to or from a killed nation, local training as a step towards each nation's own optimum
/// (non-IID by construction), and fake time. After every completed round it checks the coordinator's new
/// global model against FedAvg computed in the clear from the nations' local results.
/// </summary>
internal sealed class RunSimulation : IDisposable
{
    public const int ModelLength = 16;
    public static readonly TimeSpan StageTimeout = TimeSpan.FromMinutes(2);
    public static readonly QuantisationParameters Quantisation = new(4.0, 20);
    public static readonly LearningRule Rule = LearningRule.FedAvg(maxSampleWeight: 10_000);

    private readonly Queue<RunEnvelope> _queue = new();
    private readonly Dictionary<NationCode, ECDsa> _keys = [];
    private readonly Dictionary<NationCode, double[]> _optimum = [];
    private readonly Dictionary<NationCode, long> _samples = [];
    private readonly Dictionary<(RoundKey, NationCode), LocalStepResult> _results = [];
    private readonly HashSet<NationCode> _dead = [];
    private readonly HashSet<NationCode> _forgotten = [];
    private int _checkedRecords;

    public RunSimulation(string[] nations, string aggregator, RoundFailurePolicy policy, int rounds = 4, double? minLossChange = null, TimeSpan? waitBound = null)
    {
        Nations = [.. nations.Select(TypedId.Parse<NationCode>)];
        Aggregator = TypedId.Parse<NationCode>(aggregator);
        var random = new Random(17);
        foreach (var nation in Nations)
        {
            _keys[nation] = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            _optimum[nation] = [.. Enumerable.Range(0, ModelLength).Select(_ => (random.NextDouble() * 2) - 1)];
            _samples[nation] = random.Next(500, 2000);
        }

        Terms = new RunTerms(Job, Aggregator, _keys.ToDictionary(p => p.Key, p => p.Value), rounds, minLossChange, policy,
            waitBound ?? TimeSpan.FromMinutes(30), StageTimeout, ModelLength, Rule, Quantisation);
        Coordinator = new FederatedRunCoordinator(Terms, [.. new double[ModelLength]], Time);
        foreach (var nation in Nations)
        {
            Participants[nation] = NewParticipant(nation);
        }

        PreviousGlobal = Coordinator.GlobalWeights;
    }

    public static JobRef Job { get; } = TypedId.Parse<JobRef>("FR/fed-sim");

    public FakeTimeProvider Time { get; } = new();

    public ImmutableArray<NationCode> Nations { get; }

    public NationCode Aggregator { get; }

    public RunTerms Terms { get; }

    public FederatedRunCoordinator Coordinator { get; }

    public Dictionary<NationCode, FederatedRunParticipant> Participants { get; } = [];

    public Dictionary<NationCode, ExportPolicy> Exports { get; } = [];

    /// <summary>Every refusal a decider returned, with who sent what.</summary>
    public List<(RunEnvelope Envelope, MessageVerdict Verdict)> Refusals { get; } = [];

    /// <summary>What carries each message (identity unless a test serialises it); the verdicts see what it returns.</summary>
    public Func<RunEnvelope, RunEnvelope> Carry { get; set; } = e => e;

    /// <summary>Called before each delivery; tests kill or restart nations from it.</summary>
    public Action<RunEnvelope>? BeforeDelivery { get; set; }

    public ImmutableArray<double> PreviousGlobal { get; private set; }

    /// <summary>The nations the coordinator asked to rejoin (invited again), in order.</summary>
    public List<NationCode> Rejoins { get; } = [];

    public static NationCode N(string code) => TypedId.Parse<NationCode>(code);

    public void Start() => Enqueue(Coordinator.Start());

    public void Kill(NationCode nation)
    {
        _dead.Add(nation);
        Participants[nation].Dispose();
    }

    public void Restart(NationCode nation)
    {
        _dead.Remove(nation);
        Participants[nation] = NewParticipant(nation);
        _queue.Enqueue(Participants[nation].Ready());
    }

    /// <summary>
    /// Brings <paramref name="nation"/> back as a nation in memory does after a restart: it holds no run, so it
    /// answers "no run" to round messages and says nothing until it is invited again.
    /// </summary>
    public void RestartWithoutState(NationCode nation)
    {
        _dead.Remove(nation);
        Participants[nation] = NewParticipant(nation);
        _forgotten.Add(nation);
    }

    /// <summary>Delivers every queued message; then, while the run is not over, lets a stage timeout pass and ticks. Stops after <paramref name="maxTimeouts"/> timeouts.</summary>
    public void Run(int maxTimeouts = 50, Func<bool>? until = null)
    {
        for (var timeouts = 0; ; timeouts++)
        {
            DeliverAll();
            if (Coordinator.Phase is RunPhase.Succeeded or RunPhase.Stopped || (until?.Invoke() ?? false) || timeouts >= maxTimeouts)
            {
                return;
            }

            Time.Advance(StageTimeout);
            Enqueue(Coordinator.Tick());
        }
    }

    public void DeliverAll()
    {
        while (_queue.TryDequeue(out var envelope))
        {
            BeforeDelivery?.Invoke(envelope);
            if (envelope.Body is RunRejoin rejoin)
            {
                // The invitation again (lost on the way to a dead nation): a nation that forgot the run joins and
                // reports ready; one that holds it ignores it.
                Rejoins.Add(rejoin.Nation);
                if (!_dead.Contains(rejoin.Nation) && _forgotten.Remove(rejoin.Nation))
                {
                    _queue.Enqueue(Participants[rejoin.Nation].Ready());
                }

                continue;
            }

            if (_dead.Contains(envelope.From) || _dead.Contains(envelope.To))
            {
                continue;
            }

            if (_forgotten.Contains(envelope.To) && !ToCoordinator(envelope.Body))
            {
                Enqueue(Coordinator.Forgot(envelope.To));
                continue;
            }

            Deliver(Carry(envelope));
        }
    }

    /// <summary>Sends one message now, as if it came from <paramref name="from"/>; returns the verdict.</summary>
    public MessageVerdict Inject(NationCode from, NationCode to, object body)
    {
        var step = ToCoordinator(body) ? Coordinator.Receive(from, body) : Participants[to].Receive(from, body);
        Enqueue(step.Send);
        return step.Verdict;
    }

    /// <summary>FedAvg in the clear of the given nations' local results of <paramref name="session"/> from <paramref name="global"/>.</summary>
    public double[] PlainFedAvg(RoundKey session, IEnumerable<NationCode> contributors, ImmutableArray<double> global)
    {
        var sum = new double[ModelLength];
        var weights = 0.0;
        foreach (var nation in contributors)
        {
            var result = _results[(session, nation)];
            var w = (double)Math.Min(result.Samples, Rule.MaxSampleWeight) / Rule.MaxSampleWeight;
            weights += w;
            for (var i = 0; i < ModelLength; i++)
            {
                sum[i] += w * (result.Weights[i] - global[i]);
            }
        }

        return [.. sum.Select((s, i) => global[i] + (s / weights))];
    }

    public void Dispose()
    {
        foreach (var participant in Participants.Values)
        {
            participant.Dispose();
        }

        foreach (var key in _keys.Values)
        {
            key.Dispose();
        }
    }

    private static bool ToCoordinator(object body) => body is not (RoundStart or RelayedAdverts or RelayedShares or UnmaskingRequest or RunEnded);

    private FederatedRunParticipant NewParticipant(NationCode nation) =>
        new(Job, nation, Aggregator, _keys[nation], _keys.ToDictionary(p => p.Key, p => p.Value),
            Exports.GetValueOrDefault(nation, ExportPolicy.MaskedUpdates), Rule, Quantisation);

    private void Deliver(RunEnvelope envelope)
    {
        var step = ToCoordinator(envelope.Body) ? Coordinator.Receive(envelope.From, envelope.Body) : Participants[envelope.To].Receive(envelope.From, envelope.Body);
        if (!step.Verdict.Accepted)
        {
            Refusals.Add((envelope, step.Verdict));
        }

        Enqueue(step.Send);
        if (step.Train is { } train)
        {
            var result = Train(envelope.To, train);
            _results[(train.Session, envelope.To)] = result;
            var done = Participants[envelope.To].Complete(result);
            Assert.True(done.Verdict.Accepted, $"{envelope.To}: its local result was refused: {done.Verdict.Detail}");
            Enqueue(done.Send);
        }

        CheckCompletedRounds();
    }

    /// <summary>The energy <paramref name="nation"/>'s local step reports, kWh (its sample count in millionths); its emissions are 100 gCO2e per kWh.</summary>
    public double StepKwh(NationCode nation) => _samples[nation] / 1e6;

    private LocalStepResult Train(NationCode nation, LocalStepRequest request)
    {
        var target = _optimum[nation];
        var local = request.GlobalWeights.Select((g, i) => g + (0.5 * (target[i] - g))).ToArray();
        var loss = request.GlobalWeights.Select((g, i) => (g - target[i]) * (g - target[i])).Average();
        return new LocalStepResult(request.Session, [.. local], _samples[nation], loss, 1 / (1 + loss), _samples[nation] / 5, StepKwh(nation), StepKwh(nation) * 100);
    }

    private void CheckCompletedRounds()
    {
        var history = Coordinator.History;
        for (; _checkedRecords < history.Count; _checkedRecords++)
        {
            var record = history[_checkedRecords];
            if (record.Outcome != "completed")
            {
                continue;
            }

            var expected = PlainFedAvg(Terms.Session(record.Round, record.Attempt), record.Contributors, PreviousGlobal);
            var bound = 1e-3;
            for (var i = 0; i < ModelLength; i++)
            {
                Assert.True(Math.Abs(expected[i] - Coordinator.GlobalWeights[i]) < bound,
                    $"round {record.Round}: weight {i} is {Coordinator.GlobalWeights[i]}, FedAvg in the clear gives {expected[i]}");
            }

            PreviousGlobal = Coordinator.GlobalWeights;
        }
    }

    private void Enqueue(IEnumerable<RunEnvelope> envelopes)
    {
        foreach (var envelope in envelopes)
        {
            _queue.Enqueue(envelope);
        }
    }
}
