using System.Diagnostics;
using System.Globalization;

namespace Federation.Lifecycle.Tests.Simulation;

/// <summary>
/// Runs seeds of a scenario over every core, replays one seed from <see cref="SeedVariable"/>, and
/// finds the first seed that breaks an invariant. A failing seed is run again with a trace: the
/// replay must end in the same violation, or the run was not deterministic (itself a failure).
/// </summary>
public static class SimulationRunner
{
    /// <summary>The environment variable that replays one seed instead of the batch.</summary>
    public const string SeedVariable = "FEDERATION_SIM_SEED";

    /// <summary>The seed to replay from <see cref="SeedVariable"/>, or null when it is unset.</summary>
    public static long? ReplaySeed() => ParseSeed(Environment.GetEnvironmentVariable(SeedVariable));

    /// <summary>Reads a seed as <see cref="SeedVariable"/> gives it: null when empty, refused when not a whole number.</summary>
    public static long? ParseSeed(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return long.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed)
            ? seed
            : throw new InvalidOperationException($"{SeedVariable}='{text}' is not a seed: give a whole number, as printed by a failing run.");
    }

    /// <summary>Runs one seed.</summary>
    public static SimulationOutcome RunSeed<TState, TMessage, TCommand>(
        long seed, ISimulationScenario<TState, TMessage, TCommand> scenario, SimulationOptions options, bool trace = false) =>
        new SimulationWorld<TState, TMessage, TCommand>(seed, scenario, options, trace).Run();

    /// <summary>Runs seeds <paramref name="first"/> .. <paramref name="first"/> + <paramref name="count"/> - 1 over every core.</summary>
    public static SimulationReport RunSeeds<TState, TMessage, TCommand>(
        long first, int count, ISimulationScenario<TState, TMessage, TCommand> scenario, SimulationOptions options)
    {
        var clock = Stopwatch.StartNew();
        var failures = new List<SimulationOutcome>();
        var rejections = new SortedDictionary<string, int>(StringComparer.Ordinal);
        long steps = 0;
        long whileDown = 0;
        var gate = new object();
        Parallel.For(
            0,
            count,
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            () => new Batch(),
            (i, _, batch) =>
            {
                var outcome = RunSeed(first + i, scenario, options);
                batch.Add(outcome);
                return batch;
            },
            batch =>
            {
                lock (gate)
                {
                    failures.AddRange(batch.Failures);
                    steps += batch.Steps;
                    whileDown += batch.CommandsWhileDown;
                    foreach (var (rule, times) in batch.Rejections)
                    {
                        rejections[rule] = rejections.GetValueOrDefault(rule) + times;
                    }
                }
            });

        failures.Sort((a, b) => a.Seed.CompareTo(b.Seed));
        if (failures.Count > 0)
        {
            failures[0] = Traced(failures[0], scenario, options);
        }

        return new SimulationReport(count, failures, steps, rejections, whileDown, clock.Elapsed);
    }

    /// <summary>
    /// The lowest seed from <paramref name="first"/> on (at most <paramref name="maxSeeds"/> of them) that
    /// breaks an invariant, traced; null when none does. Seeds are tried in parallel blocks, and the
    /// lowest failing seed of the first block with a failure is the answer, so it is the same on every run.
    /// </summary>
    public static SimulationOutcome? FirstFailure<TState, TMessage, TCommand>(
        long first, int maxSeeds, ISimulationScenario<TState, TMessage, TCommand> scenario, SimulationOptions options)
    {
        const int block = 64;
        for (var start = 0; start < maxSeeds; start += block)
        {
            var size = Math.Min(block, maxSeeds - start);
            var lowest = long.MaxValue;
            var gate = new object();
            Parallel.For(0, size, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
            {
                var seed = first + start + i;
                if (!RunSeed(seed, scenario, options).Passed)
                {
                    lock (gate)
                    {
                        lowest = Math.Min(lowest, seed);
                    }
                }
            });

            if (lowest != long.MaxValue)
            {
                return Traced(RunSeed(lowest, scenario, options), scenario, options);
            }
        }

        return null;
    }

    private static SimulationOutcome Traced<TState, TMessage, TCommand>(
        SimulationOutcome failed, ISimulationScenario<TState, TMessage, TCommand> scenario, SimulationOptions options)
    {
        var replay = RunSeed(failed.Seed, scenario, options, trace: true);
        return replay.Violation == failed.Violation
            ? replay
            : replay with { Violation = $"[determinism] the seed failed with '{failed.Violation}' but its traced replay ended with '{replay.Violation ?? "no violation"}'" };
    }

    private sealed class Batch
    {
        public List<SimulationOutcome> Failures { get; } = [];

        public long Steps { get; private set; }

        public long CommandsWhileDown { get; private set; }

        public Dictionary<string, int> Rejections { get; } = new(StringComparer.Ordinal);

        public void Add(SimulationOutcome outcome)
        {
            Steps += outcome.Steps;
            CommandsWhileDown += outcome.CommandsWhileDown;
            foreach (var (rule, times) in outcome.Rejections)
            {
                Rejections[rule] = Rejections.GetValueOrDefault(rule) + times;
            }

            if (!outcome.Passed)
            {
                Failures.Add(outcome);
            }
        }
    }
}
