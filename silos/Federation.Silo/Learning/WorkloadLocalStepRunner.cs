using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Federation.Contracts.Catalogue.Nodes;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Learning;
using Federation.Execution;
using Federation.Execution.Staging;
using Federation.Grains.Learning;
using Federation.Learning.Run;
using Federation.Routing.Energy;
using Federation.Silo.Options;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Learning;

/// <summary>
/// A data nation's local training step, outside the participant grain's turn: its dataset staged from this
/// nation's catalogue and data roots (<see cref="IDatasetStager"/>, as the executor stages a job's inputs)
/// into a work directory per job, round and attempt under <c>Federation:Executor:WorkRoot</c>; the round's
/// global weights written beside it (<see cref="LocalStepFiles.Write"/>, the layout from
/// <see cref="IInitialModelSource"/>, once per job); the allow-listed training workload's <c>train</c> verb run
/// with a manifest (<see cref="TrainingWorkload"/>: pinned, one process at a time per job, killed after the
/// timeout); its outputs read by <see cref="LocalStepFiles.Read"/> and reported to the grain with the step's
/// CPU and wall seconds and energy. Afterwards the directory is removed; a failed step keeps only its logs.
/// </summary>
public sealed partial class WorkloadLocalStepRunner(
    TrainingWorkload workload,
    IInitialModelSource models,
    IDatasetStager stager,
    ExecutorSettings settings,
    IOptions<LocalStepOptions> options,
    IOptions<FederationOptions> federation,
    ILogger<WorkloadLocalStepRunner> logger) : ILocalStepRunner
{
    /// <summary>The training arguments of the spec that go into the <c>train</c> manifest, and whether each is a whole number.</summary>
    public static readonly IReadOnlyDictionary<string, bool> ManifestArguments = new Dictionary<string, bool>(StringComparer.Ordinal)
    {
        ["epochs"] = true,
        ["batchSize"] = true,
        ["seed"] = true,
        ["learningRate"] = false,
    };

    private const int MaxCachedModels = 64;
    private readonly ConcurrentDictionary<JobRef, SemaphoreSlim> _gates = new();
    private readonly ConcurrentDictionary<JobRef, Lazy<Task<InitialModel>>> _models = new();

    /// <inheritdoc />
    public void Run(RunParticipation participation, LocalStepRequest request, IRunParticipantGrain replyTo)
    {
        ArgumentNullException.ThrowIfNull(participation);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(replyTo);
        _ = Task.Run(async () =>
        {
            var outcome = await StepAsync(participation, request, CancellationToken.None);
            try
            {
                await replyTo.StepDoneAsync(outcome);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The grain is gone (its silo stopping); the aggregator's round policy handles the missing update.
                LogReplyFailed(logger, participation.Job, request.Round, e.Message);
            }
        });
    }

    /// <inheritdoc />
    public Task ForgetAsync(JobRef job) => Task.Run(async () =>
    {
        // After a step in flight (it holds the job's gate): its report finds no run and is dropped.
        var gate = _gates.GetOrAdd(job, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync();
        try
        {
            _models.TryRemove(job, out _);
            WorkloadInitialModelSource.Remove(Path.Combine(settings.WorkRoot, job.Origin.Value, job.Id, "steps"));
        }
        finally
        {
            gate.Release();
        }
    });

    /// <summary>Runs the step and returns its outcome; a failure is an outcome whose error says what failed and what to do.</summary>
    public async Task<LocalStepOutcome> StepAsync(RunParticipation participation, LocalStepRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(participation);
        ArgumentNullException.ThrowIfNull(request);
        var job = participation.Job;
        var (round, attempt) = RunTerms.OfSession(request.Session);
        var directory = new JobDirectory(Path.Combine(settings.WorkRoot, job.Origin.Value, job.Id, "steps", $"r{round}a{attempt}"));
        var gate = _gates.GetOrAdd(job, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            WorkloadInitialModelSource.Remove(directory.Path);
            Directory.CreateDirectory(directory.Path);
            var outcome = await TrainAsync(participation, request, directory, cancellationToken);
            LogStepDone(logger, job, round, attempt, outcome.Samples, outcome.ValidationAccuracy, outcome.CpuSeconds);
            WorkloadInitialModelSource.Remove(directory.Path);
            return outcome;
        }
        catch (Exception e) when (e is not OutOfMemoryException and not OperationCanceledException)
        {
            var error = e is StepFailedException or InvalidOperationException
                ? e.Message
                : $"the local step failed unexpectedly: {e.GetBaseException().Message}";
            LogStepFailed(logger, job, round, attempt, error);
            KeepLogsOnly(directory, (e as StepFailedException)?.Run);
            return new LocalStepOutcome(request.Session.Round, [], 0, 0, 0, 0, $"{job} round {round}: {error}");
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<LocalStepOutcome> TrainAsync(
        RunParticipation participation, LocalStepRequest request, JobDirectory directory, CancellationToken cancellationToken)
    {
        var terms = participation.Terms;
        var call = terms.Training;
        workload.Find(call);
        var model = await ModelOfAsync(participation.Job, terms, cancellationToken);
        if (model.Weights.Length != request.GlobalWeights.Length)
        {
            throw new StepFailedException(
                $"the round's global weights hold {request.GlobalWeights.Length} values, but {call}'s model for this spec holds {model.Weights.Length}: the aggregator and this nation disagree on the model (check training.arguments.hiddenUnits and the allow-listed version of {call.Name})");
        }

        var staged = await stager.StageAsync(StagingSpec(participation), directory, cancellationToken);
        if (!staged.Succeeded || staged.Inputs.Length != participation.Inputs.Length)
        {
            throw new StepFailedException(
                $"its datasets {string.Join(", ", participation.Inputs)} could not be staged: {staged.Reason} (check their catalogue entries: a file: location inside this nation's data roots, its size and sha256)");
        }

        var (bytes, header) = LocalStepFiles.Write(request.GlobalWeights, model.LayoutJson, 0);
        await File.WriteAllBytesAsync(Path.Combine(directory.Path, "global.f32"), bytes, cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(directory.Path, "global.json"), header, cancellationToken);
        var manifest = Path.Combine(directory.Path, "manifest.json");
        await File.WriteAllTextAsync(manifest, Manifest(terms, request.Round, [.. staged.Inputs.Select(i => i.LocalPath)]).ToJsonString(), cancellationToken);

        var run = await workload.RunAsync(call, directory.Path, ["train", "--manifest", manifest], cancellationToken);
        DeleteInputs(directory);
        if (run.ExitCode != 0)
        {
            throw new StepFailedException(
                $"the training workload {call} exited {run.ExitCode}: {run.ErrorLine} (exit 2 is bad input, docs/workloads.md; its log is {directory.Stderr})")
            {
                Run = run,
            };
        }

        try
        {
            var weights = await File.ReadAllBytesAsync(Path.Combine(directory.Outputs, "weights.f32"), cancellationToken);
            var weightsJson = await File.ReadAllTextAsync(Path.Combine(directory.Outputs, "weights.json"), cancellationToken);
            var metricsJson = await File.ReadAllTextAsync(Path.Combine(directory.Outputs, "metrics.json"), cancellationToken);
            var result = LocalStepFiles.Read(request.Session, weights, weightsJson, metricsJson);
            if (result.Weights.Length != request.GlobalWeights.Length)
            {
                throw new FormatException($"weights.f32 holds {result.Weights.Length} values; the global model {request.GlobalWeights.Length}.");
            }

            var (cpu, wall) = LocalStepFiles.ReadTrainingTime(metricsJson);
            return new LocalStepOutcome(request.Session.Round, result.Weights, result.Samples, result.ValidationLoss, result.ValidationAccuracy,
                result.ValidationSamples, null, cpu, wall, EnergyKwh(cpu));
        }
        catch (Exception e) when (e is FormatException or IOException)
        {
            throw new StepFailedException($"the training workload {call} ended without the outputs of docs/workloads.md: {e.Message} (is the allow-listed version the contract's?)", e) { Run = run };
        }
    }

    /// <summary>The energy of <paramref name="cpuSeconds"/> of busy cores at <see cref="LocalStepOptions.CpuWattsPerCore"/> and this nation's PUE, kWh.</summary>
    public double EnergyKwh(double cpuSeconds) =>
        EnergyModel.Of(new PowerFigure(options.Value.CpuWattsPerCore, PowerSource.TdpEstimate), cpuSeconds / 3600, federation.Value.Nation.Pue, 0, 0, 0).ComputeKwh;

    /// <summary>The <c>train</c> manifest of a round (docs/workloads.md): data, initial weights, outputs, the spec's hyper-parameters, FedProx's μ and the round.</summary>
    public static JsonObject Manifest(FederatedSpec terms, int round, IReadOnlyList<string> data)
    {
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(data);
        var manifest = new JsonObject
        {
            ["data"] = new JsonArray([.. data.Select(d => (JsonNode?)JsonValue.Create(d))]),
            ["initialWeights"] = "global.f32",
            ["outputDirectory"] = "outputs",
            ["round"] = round,
        };
        foreach (var (name, whole) in ManifestArguments)
        {
            if (terms.Training.Arguments.TryGetValue(name, out var value))
            {
                manifest[name] = whole ? WorkloadInitialModelSource.WholeNumber(terms.Training, name, value) : Number(name, value);
            }
        }

        if (terms.Aggregation.Rule == AggregationRule.Fedprox)
        {
            manifest["proximalMu"] = terms.Aggregation.Mu ?? 0;
        }

        return manifest;
    }

    private static double Number(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
            ? number
            : throw new InvalidOperationException($"the federated spec's training.arguments.{name} must be a number, not '{value}'");

    private async Task<InitialModel> ModelOfAsync(JobRef job, FederatedSpec terms, CancellationToken cancellationToken)
    {
        if (_models.Count >= MaxCachedModels)
        {
            _models.Clear();
        }

        var lazy = _models.GetOrAdd(job, _ => new Lazy<Task<InitialModel>>(() => models.CreateAsync(job, terms, CancellationToken.None)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Not cached: the next step tries again (the operator may have fixed the allow-list).
            _models.TryRemove(new KeyValuePair<JobRef, Lazy<Task<InitialModel>>>(job, lazy));
            throw;
        }
    }

    /// <summary>A job spec that only carries the dataset, for the stager (which reads only the inputs).</summary>
    private static JobSpec StagingSpec(RunParticipation participation) => new()
    {
        Id = participation.Job.Id,
        Owner = new JobOwner("federated-run", null),
        Inputs = participation.Inputs,
        Purpose = new JobPurpose { Use = ResearchCategory.General },
        Accelerators = new AcceleratorRequest { Count = 0 },
        Work = new WorkEstimate(),
        Workload = participation.Terms.Training,
    };

    private static void DeleteInputs(JobDirectory directory)
    {
        WorkloadInitialModelSource.Remove(directory.Inputs);
        foreach (var file in new[] { "global.f32", "global.json", "manifest.json", TrainingWorkload.CopyName })
        {
            File.Delete(Path.Combine(directory.Path, file));
        }
    }

    private static void KeepLogsOnly(JobDirectory directory, WorkloadRun? run)
    {
        try
        {
            if (!Directory.Exists(directory.Path))
            {
                return;
            }

            DeleteInputs(directory);
            WorkloadInitialModelSource.Remove(directory.Outputs);
            if (run is not null)
            {
                File.WriteAllLines(directory.Stdout, run.Output);
                File.WriteAllLines(directory.Stderr, run.Errors);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The outcome already says what failed; the logs are a convenience.
        }
    }

    [LoggerMessage(EventId = 9411, Level = LogLevel.Information, Message = "Local step of {Job} round {Round} attempt {Attempt} done: {Samples} samples, accuracy {Accuracy:0.000}, {CpuSeconds:0.00} CPU s")]
    private static partial void LogStepDone(ILogger logger, JobRef job, int round, int attempt, long samples, double accuracy, double cpuSeconds);

    [LoggerMessage(EventId = 9412, Level = LogLevel.Warning, Message = "Local step of {Job} round {Round} attempt {Attempt} failed: {Error}")]
    private static partial void LogStepFailed(ILogger logger, JobRef job, int round, int attempt, string error);

    [LoggerMessage(EventId = 9413, Level = LogLevel.Information, Message = "The participant grain of {Job} could not be told how round {Round}'s step ended: {Reason}")]
    private static partial void LogReplyFailed(ILogger logger, JobRef job, int round, string reason);
}
