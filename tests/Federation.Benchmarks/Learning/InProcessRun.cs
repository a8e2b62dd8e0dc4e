using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Json;
using Federation.Grains.Learning;
using Federation.Learning.Protocol;
using Federation.Learning.Run;
using Federation.Protocol.Rounds;
using LearningRule = Federation.Learning.Aggregation.AggregationRule;

namespace Federation.Benchmarks.Learning;

/// <summary>What one round cost: wall time, CPU of this process and of the local steps' processes, and the bytes that crossed borders by artifact class.</summary>
internal sealed record RoundCost(int Round, double WallSeconds, double SelfCpuSeconds, double StepCpuSeconds, IReadOnlyDictionary<string, long> Bytes)
{
    public long TotalBytes => Bytes.Values.Sum();

    public long BytesOf(string artifact) => Bytes.GetValueOrDefault(artifact);
}

/// <summary>
/// A federated run in this process: the aggregator's <see cref="FederatedRunCoordinator"/> and each data nation's
/// <see cref="FederatedRunParticipant"/> (the deciders the silos' grains call, with per-round signed ECDH keys, masks
/// and Shamir shares), every message written and read back by <see cref="RoundMessageCodec"/> as the federation API
/// carries it (so its size is the bytes a border would see); each local step is the workload's <c>train</c> verb run
/// as a process from the round's global weights, as a silo's local step runner does. With secure aggregation off,
/// the aggregator averages the nations' trained weights by sample count (plain FedAvg, updates cross in clear).
/// </summary>
internal sealed class InProcessRun(FederatedOptions options, string directory, IReadOnlyDictionary<string, string> data, ImmutableArray<double> initial, string layout)
{
    private readonly List<RoundCost> _rounds = [];
    private readonly Dictionary<int, Dictionary<string, long>> _bytes = [];

    /// <summary>The cost of each completed round, in order.</summary>
    public IReadOnlyList<RoundCost> Rounds => _rounds;

    /// <summary>Runs every round; returns the final global weights and the total sample count.</summary>
    public Task<(ImmutableArray<double> Weights, long Samples)> RunAsync() => options.SecureAggregation ? SecureAsync() : PlainAsync();

    private async Task<(ImmutableArray<double>, long)> SecureAsync()
    {
        var nations = options.Nations.Select(Code).ToList();
        var aggregator = nations[0];
        var job = JobRef.TryParse($"{aggregator}/bench-federated", out var parsed, out var error) ? parsed : throw new InvalidOperationException(error);
        var keys = nations.ToDictionary(n => n, _ => ECDsa.Create(ECCurve.NamedCurves.nistP256));
        try
        {
            var roster = keys.ToDictionary(k => k.Key, k => k.Value);
            var rule = LearningRule.FedAvg(RunTermsOf.MaxSampleWeight);
            var hour = TimeSpan.FromHours(1);
            var terms = new RunTerms(job, aggregator, roster, options.Rounds, null, RoundFailurePolicy.Stop, hour, hour, initial.Length, rule, RunTermsOf.Quantisation);
            var coordinator = new FederatedRunCoordinator(terms, initial, TimeProvider.System);
            var participants = nations.ToDictionary(n => n, n => new FederatedRunParticipant(job, n, aggregator, keys[n], roster, ExportPolicy.MaskedUpdates, rule, RunTermsOf.Quantisation));
            var queue = new Queue<RunEnvelope>();
            var steps = new List<Task<(NationCode Nation, LocalStepResult Result)>>();
            var samples = 0L;
            var round = Mark();
            foreach (var envelope in coordinator.Start())
            {
                queue.Enqueue(envelope);
            }

            while (true)
            {
                while (queue.TryDequeue(out var envelope))
                {
                    var message = Carry(envelope);
                    var toAggregator = message is KeyAdvert or ShareKeysMessage or MaskedInput or UnmaskingResponse or RoundMetrics or ParticipantReady;
                    var completed = coordinator.History.Count;
                    var step = toAggregator ? coordinator.Receive(envelope.From, message) : participants[envelope.To].Receive(envelope.From, message);
                    if (!step.Verdict.Accepted)
                    {
                        throw new InvalidOperationException($"{(toAggregator ? aggregator : envelope.To)} refused a {message.GetType().Name} from {envelope.From}: {step.Verdict}");
                    }

                    if (coordinator.History.Count > completed)
                    {
                        round = Close(coordinator.History[^1].Round, round);
                    }

                    if (step.Train is { } request)
                    {
                        steps.Add(TrainAsync(envelope.To, request.Session, request.Round, request.GlobalWeights));
                    }

                    foreach (var next in step.Send)
                    {
                        queue.Enqueue(next);
                    }
                }

                if (coordinator.Phase is RunPhase.Succeeded or RunPhase.Stopped)
                {
                    break;
                }

                if (steps.Count == 0)
                {
                    throw new InvalidOperationException($"the run is stuck in round {coordinator.Round} ({coordinator.Phase}): {coordinator.Reason}");
                }

                var done = await Task.WhenAny(steps);
                steps.Remove(done);
                var (from, result) = await done;
                samples += result.Samples;
                var reply = participants[from].Complete(result);
                if (!reply.Verdict.Accepted)
                {
                    throw new InvalidOperationException($"{from} refused its own local step: {reply.Verdict}");
                }

                foreach (var next in reply.Send)
                {
                    queue.Enqueue(next);
                }
            }

            if (coordinator.Phase != RunPhase.Succeeded)
            {
                throw new InvalidOperationException($"the run stopped: {coordinator.Reason}");
            }

            foreach (var participant in participants.Values)
            {
                participant.Dispose();
            }

            return (coordinator.GlobalWeights, samples / options.Rounds);
        }
        finally
        {
            foreach (var key in keys.Values)
            {
                key.Dispose();
            }
        }
    }

    private async Task<(ImmutableArray<double>, long)> PlainAsync()
    {
        var nations = options.Nations.Select(Code).ToList();
        var global = initial;
        long total = 0;
        for (var r = 1; r <= options.Rounds; r++)
        {
            var round = Mark();
            var job = JobRef.TryParse($"{nations[0]}/bench-federated", out var parsed, out var error) ? parsed : throw new InvalidOperationException(error);
            var session = RunTerms.SessionKey(job, r, 0);
            var results = (await Task.WhenAll(nations.Select(n => TrainAsync(n, session, r, global)))).Select(x => x.Result).ToList();
            total = results.Sum(x => x.Samples);
            var next = new double[global.Length];
            foreach (var result in results)
            {
                for (var i = 0; i < next.Length; i++)
                {
                    next[i] += result.Weights[i] * result.Samples / total;
                }
            }

            // What would cross: the model to each other nation, and each other nation's trained weights (f32 and header) back.
            foreach (var n in nations.Skip(1))
            {
                Count(r, RoundTransfers.AggregatedModel, Json(RoundMessageCodec.Write(nations[0], new RoundStart(session, r, 0, global, [.. nations], 2))).Length);
                var (bytes, header) = LocalStepFiles.Write(results[nations.IndexOf(n)].Weights, layout, results[nations.IndexOf(n)].Samples);
                Count(r, "update", bytes.Length + Encoding.UTF8.GetByteCount(header));
            }

            global = [.. next];
            Close(r, round);
        }

        return (global, total);
    }

    private async Task<(NationCode Nation, LocalStepResult Result)> TrainAsync(NationCode nation, RoundKey session, int round, ImmutableArray<double> global)
    {
        var step = Directory.CreateDirectory(Path.Combine(directory, "steps", nation.Value, string.Create(CultureInfo.InvariantCulture, $"r{round}"))).FullName;
        var (globalBytes, globalHeader) = LocalStepFiles.Write(global, layout, 0);
        await File.WriteAllBytesAsync(Path.Combine(step, "global.f32"), globalBytes);
        await File.WriteAllTextAsync(Path.Combine(step, "global.json"), globalHeader);
        var manifest = new JsonObject
        {
            ["data"] = new JsonArray(JsonValue.Create(data[nation.Value])),
            ["initialWeights"] = "global.f32",
            ["outputDirectory"] = "outputs",
            ["round"] = round,
            ["epochs"] = options.Epochs,
            ["batchSize"] = options.BatchSize,
            ["seed"] = options.Seed,
            ["learningRate"] = options.LearningRate,
        };
        var path = Path.Combine(step, "manifest.json");
        await File.WriteAllTextAsync(path, manifest.ToJsonString());
        await WorkloadProcess.RunAsync("train", "--manifest", path);
        var outputs = Path.Combine(step, "outputs");
        var weights = await File.ReadAllBytesAsync(Path.Combine(outputs, "weights.f32"));
        var header = await File.ReadAllTextAsync(Path.Combine(outputs, "weights.json"));
        var metrics = await File.ReadAllTextAsync(Path.Combine(outputs, "metrics.json"));
        var result = LocalStepFiles.Read(session, weights, header, metrics);
        Directory.Delete(step, recursive: true);
        return (nation, result);
    }

    // Writes the message as the federation API carries it, counts its bytes when it crosses a border, and reads it back as the receiver would.
    private object Carry(RunEnvelope envelope)
    {
        var document = RoundMessageCodec.Write(envelope.From, envelope.Body);
        var json = Json(document);
        if (envelope.From != envelope.To)
        {
            Count(document.Round, RoundTransfers.Describe(envelope.Body).Artifact, json.Length);
        }

        return RoundMessageCodec.Read(envelope.From, JsonSerializer.Deserialize<RoundMessageDocument>(json, FederationJson.Options));
    }

    private static byte[] Json(RoundMessageDocument document) => JsonSerializer.SerializeToUtf8Bytes(document, FederationJson.Options);

    private void Count(int round, string artifact, long bytes)
    {
        var counts = _bytes.TryGetValue(round, out var found) ? found : _bytes[round] = new Dictionary<string, long>(StringComparer.Ordinal);
        counts[artifact] = counts.GetValueOrDefault(artifact) + bytes;
    }

    private static (long Ticks, double Self, double Children) Mark()
    {
        var (self, children) = WorkloadProcess.CpuSeconds();
        return (Stopwatch.GetTimestamp(), self, children);
    }

    private (long, double, double) Close(int round, (long Ticks, double Self, double Children) start)
    {
        var end = Mark();
        _rounds.Add(new RoundCost(round, Stopwatch.GetElapsedTime(start.Ticks, end.Ticks).TotalSeconds, end.Self - start.Self, end.Children - start.Children,
            _bytes.TryGetValue(round, out var bytes) ? bytes : new Dictionary<string, long>()));
        return end;
    }

    private static NationCode Code(string code) => NationCode.TryParse(code, out var nation, out var error) ? nation : throw new ArgumentException(error);
}
