using System.Collections.Concurrent;
using System.Collections.Immutable;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Learning;
using Federation.Grains.Learning;
using Federation.Learning.Run;

namespace Federation.EndToEnd.Tests.Learning;

/// <summary>
/// The learning edges of a test nation: a deterministic toy local step (each nation's weights move half-way
/// toward its own target, so the aggregate lies between the targets) and an initial model of zeros, which
/// a test can hold back per job until it opens the gate; a test can also hold back one round's local steps. Each step reports
/// an energy of its own per nation (<see cref="StepKwh"/>), as a real step reports its measured CPU time's.
/// </summary>
public sealed class ToyLearning : ILocalStepRunner, IInitialModelSource
{
    /// <summary>The model's length.</summary>
    public const int Length = 4;

    private readonly ConcurrentDictionary<string, TaskCompletionSource> _gates = new();
    private readonly ConcurrentDictionary<(string Job, int Round), TaskCompletionSource> _stepGates = new();

    /// <summary>Every local step this nation ran, by job.</summary>
    public ConcurrentQueue<(JobRef Job, int Round)> Steps { get; } = new();

    /// <summary>The target a nation's data pulls the weights toward: FR 1, DE 2, SE 3 (any other 0.5).</summary>
    public static double Target(NationCode nation) => nation.Value switch { "FR" => 1, "DE" => 2, "SE" => 3, _ => 0.5 };

    /// <summary>The energy a nation's toy step reports, kWh: its target in thousandths (FR 0.001, DE 0.002, SE 0.003).</summary>
    public static double StepKwh(NationCode nation) => Target(nation) / 1000;

    /// <summary>Holds the initial model of <paramref name="job"/> until the returned source is completed.</summary>
    public TaskCompletionSource Gate(string job) => _gates.GetOrAdd(job, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    /// <summary>Holds the local steps of <paramref name="job"/>'s round <paramref name="round"/> (their answers) until the returned source is completed.</summary>
    public TaskCompletionSource StepGate(string job, int round) =>
        _stepGates.GetOrAdd((job, round), _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    /// <inheritdoc />
    public async Task<InitialModel> CreateAsync(JobRef job, FederatedSpec terms, CancellationToken cancellationToken)
    {
        if (_gates.TryGetValue(job.ToString(), out var gate))
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        return new InitialModel([.. Enumerable.Repeat(0.0, Length)], $$"""[{"name":"w","shape":[{{Length}}]}]""");
    }

    /// <inheritdoc />
    public void Run(RunParticipation participation, LocalStepRequest request, IRunParticipantGrain replyTo)
    {
        ArgumentNullException.ThrowIfNull(participation);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(replyTo);
        Steps.Enqueue((participation.Job, request.Round));
        var target = Target(participation.Dataset.Nation);
        ImmutableArray<double> weights = [.. request.GlobalWeights.Select(w => w + ((target - w) / 2))];
        var loss = weights.Average(w => (target - w) * (target - w));
        var gate = _stepGates.TryGetValue((participation.Job.ToString(), request.Round), out var held) ? held.Task : Task.CompletedTask;
        _ = Task.Run(async () =>
        {
            await gate;
            await replyTo.StepDoneAsync(new LocalStepOutcome(request.Session.Round, weights, 100, loss, 1 / (1 + loss), 50, null, 1.5, 2, StepKwh(participation.Dataset.Nation)));
        });
    }
}
