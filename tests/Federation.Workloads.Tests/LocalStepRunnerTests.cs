using System.Collections.Immutable;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Learning;
using Federation.Execution;
using Federation.Execution.Staging;
using Federation.Execution.Workloads;
using Federation.Grains.Nations;
using Federation.Learning.Run;
using Federation.Silo.Learning;
using Federation.Silo.Options;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RunParticipation = Federation.Contracts.Learning.RunParticipation;

namespace Federation.Workloads.Tests;

/// <summary>
/// The silo's local step (<see cref="WorkloadLocalStepRunner"/>) and initial model (<see cref="WorkloadInitialModelSource"/>)
/// running the real workload as an allow-listed, pinned process: a real <c>train</c> step from given global
/// weights, the same initial model twice, and the errors that name the setting to fix.
/// </summary>
public sealed class LocalStepRunnerTests(AllowListedWorkload workload) : IClassFixture<AllowListedWorkload>
{
    private static readonly TimeSpan s_stepTimeout = TimeSpan.FromSeconds(90);
    private static readonly DatasetRef s_dataset = TypedId.Parse<DatasetRef>("FR/patient-outcomes");

    private static FederatedSpec Spec(FederatedAggregation? aggregation = null) => new()
    {
        Training = new WorkloadCall
        {
            Name = "train",
            Version = "1.0",
            Arguments = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string>
            {
                ["seed"] = "3", ["hiddenUnits"] = "8", ["epochs"] = "2", ["learningRate"] = "0.1", ["batchSize"] = "32",
            }),
        },
        Aggregation = aggregation ?? FederatedAggregation.FedAvg,
        Rounds = 4,
        RoundPolicy = new FederatedRoundPolicy { OnFailure = RoundFailurePolicy.Wait },
    };

    [Fact]
    public async Task Step_RealTrain_FromGlobalWeights_ReportsTrainedWeightsMetricsAndEnergy()
    {
        var job = TypedId.Parse<JobRef>("DE/steps-real");
        var (runner, source) = Create([workload.Definition()], new LinkingStager(workload.Data));
        var initial = await source.CreateAsync(job, Spec(), TestContext.Current.CancellationToken);

        var outcome = await RunAsync(runner, job, Spec(new FederatedAggregation(AggregationRule.Fedprox, 0.01)), round: 2, initial.Weights);

        Assert.True(outcome.Error is null, outcome.Error);
        Assert.Equal(RunTerms.SessionKey(job, 2, 1).Round, outcome.Session);
        Assert.Equal(initial.Weights.Length, outcome.Weights.Length);
        Assert.NotEqual(initial.Weights, outcome.Weights);
        Assert.All(outcome.Weights, w => Assert.True(double.IsFinite(w)));
        Assert.Equal(300, outcome.Samples);
        Assert.Equal(300, outcome.ValidationSamples);
        Assert.InRange(outcome.ValidationAccuracy, 0.5, 1);
        Assert.InRange(outcome.ValidationLoss, 0.01, 2);
        Assert.True(outcome.CpuSeconds > 0 && outcome.WallSeconds > 0, $"cpu {outcome.CpuSeconds} s, wall {outcome.WallSeconds} s");
        Assert.Equal(outcome.CpuSeconds / 3600 * 10 / 1000 * 1.58, outcome.EnergyKwh, 12);
        Assert.False(Directory.Exists(Path.Combine(workload.WorkRoot, "DE", "steps-real", "steps", "r2a1")), "the step's work directory is removed");
    }

    [Fact]
    public async Task Step_WorkloadRefusesItsInput_ErrorGivesExitCodeAndTheWorkloadsErrorLine_KeepsOnlyLogs()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("bad.csv"), "not,a,health,table\n1,2,3,4\n");
        var job = TypedId.Parse<JobRef>("DE/steps-bad-data");
        var (runner, source) = Create([workload.Definition()], new LinkingStager(dir.File("bad.csv")));
        var initial = await source.CreateAsync(job, Spec(), TestContext.Current.CancellationToken);

        var outcome = await RunAsync(runner, job, Spec(), round: 0, initial.Weights);

        Assert.NotNull(outcome.Error);
        Assert.Contains("exited 2: error: data[0]", outcome.Error, StringComparison.Ordinal);
        var step = Path.Combine(workload.WorkRoot, "DE", "steps-bad-data", "steps", "r0a1");
        Assert.Equal(["stderr.log", "stdout.log"], Directory.GetFileSystemEntries(step).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        // The run ended: its round material (the kept logs too) is deleted.
        await runner.ForgetAsync(job).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.False(Directory.Exists(Path.Combine(workload.WorkRoot, "DE", "steps-bad-data", "steps")), "the job's steps directory is deleted once its run ended");
    }

    [Fact]
    public async Task Step_TwoInputsAtHome_TrainsOnBoth()
    {
        var job = TypedId.Parse<JobRef>("DE/steps-two-inputs");
        var (runner, source) = Create([workload.Definition()], new LinkingStager(workload.Data));
        var initial = await source.CreateAsync(job, Spec(), TestContext.Current.CancellationToken);

        var outcome = await RunAsync(runner, job, Spec(), round: 1, initial.Weights, [s_dataset, TypedId.Parse<DatasetRef>("FR/patient-outcomes-2")]);

        Assert.True(outcome.Error is null, outcome.Error);
        Assert.Equal((600, 600), (outcome.Samples, outcome.ValidationSamples));
    }

    [Fact]
    public async Task Step_WorkloadNotAllowListed_ErrorNamesTheSetting()
    {
        var (runner, _) = Create([], new LinkingStager(workload.Data));

        var outcome = await RunAsync(runner, TypedId.Parse<JobRef>("DE/steps-unlisted"), Spec(), round: 0, [0.0]);

        Assert.NotNull(outcome.Error);
        Assert.Contains("train@1.0 is not on FR's allow-list", outcome.Error, StringComparison.Ordinal);
        Assert.Contains("Federation:Workloads", outcome.Error, StringComparison.Ordinal);
        Assert.Empty(outcome.Weights);
    }

    [Fact]
    public async Task Step_PinFails_ErrorNamesTheSetting_NothingRuns()
    {
        var (runner, _) = Create([workload.Definition(new string('0', 64))], new LinkingStager(workload.Data));

        var outcome = await RunAsync(runner, TypedId.Parse<JobRef>("DE/steps-pin"), Spec(), round: 0, [0.0]);

        Assert.NotNull(outcome.Error);
        Assert.Contains("refused to run: the sha256 of train@1.0", outcome.Error, StringComparison.Ordinal);
        Assert.Contains("Federation:Workloads Sha256", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InitialModel_SameSpecTwice_SameWeightsAndLayout()
    {
        var (_, source) = Create([workload.Definition()], new LinkingStager(workload.Data));
        var job = TypedId.Parse<JobRef>("DE/steps-init");

        var first = await source.CreateAsync(job, Spec(), TestContext.Current.CancellationToken);
        var second = await source.CreateAsync(job, Spec(), TestContext.Current.CancellationToken);

        Assert.Equal((8 * 6) + 8 + 8 + 1, first.Weights.Length);
        Assert.Equal(first.Weights, second.Weights);
        Assert.Equal(first.LayoutJson, second.LayoutJson);
        Assert.Contains("fc1.weight", first.LayoutJson, StringComparison.Ordinal);
        Assert.Empty(Directory.GetDirectories(Path.Combine(workload.WorkRoot, "DE", "steps-init")));
    }

    [Fact]
    public async Task InitialModel_NotAllowListed_ThrowsNamingTheSetting()
    {
        var (_, source) = Create([new WorkloadDefinition { Name = "train", Version = "2.0" }], new LinkingStager(workload.Data));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => source.CreateAsync(TypedId.Parse<JobRef>("DE/steps-init-unlisted"), Spec(), TestContext.Current.CancellationToken));

        Assert.Contains("Federation:Workloads", error.Message, StringComparison.Ordinal);
    }

    private (WorkloadLocalStepRunner Runner, WorkloadInitialModelSource Source) Create(IEnumerable<WorkloadDefinition> allowList, IDatasetStager stager)
    {
        var options = Options.Create(new LocalStepOptions { StepTimeout = s_stepTimeout });
        var training = new TrainingWorkload(new WorkloadCatalogue(allowList), new LocalNation(TypedId.Parse<NationCode>("FR")), options);
        var settings = new ExecutorSettings { WorkRoot = workload.WorkRoot };
        var source = new WorkloadInitialModelSource(training, settings);
        var runner = new WorkloadLocalStepRunner(training, source, stager, settings, options, Options.Create(new FederationOptions()),
            NullLogger<WorkloadLocalStepRunner>.Instance);
        return (runner, source);
    }

    private static async Task<LocalStepOutcome> RunAsync(
        WorkloadLocalStepRunner runner, JobRef job, FederatedSpec spec, int round, ImmutableArray<double> global, ImmutableArray<DatasetRef> datasets = default)
    {
        var participation = new RunParticipation(job, TypedId.Parse<NationCode>("DE"), s_dataset, Federation.Contracts.Catalogue.Datasets.ExportPolicy.MaskedUpdates, spec)
        {
            Datasets = datasets.IsDefault ? [] : datasets,
        };
        var grain = new ReplyProbe();
        runner.Run(participation, new LocalStepRequest(RunTerms.SessionKey(job, round, 1), round, global), grain);
        try
        {
            return await grain.Outcome.WaitAsync(s_stepTimeout + TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"the local step of {job} round {round} reported no outcome to the grain within {s_stepTimeout.TotalSeconds + 30} s");
        }
    }

    /// <summary>Stages each input as the silo's stager stages one of its own: a link (to the same file) in the step directory's inputs.</summary>
    private sealed class LinkingStager(string file) : IDatasetStager
    {
        public Task<StagingResult> StageAsync(JobSpec spec, JobDirectory directory, CancellationToken cancellationToken)
        {
            Directory.CreateDirectory(directory.Inputs);
            var staged = new List<StagedInput>();
            foreach (var input in spec.Inputs)
            {
                var target = directory.InputPath(input);
                File.CreateSymbolicLink(target, file);
                staged.Add(new StagedInput(input, target, new FileInfo(file).Length, false));
            }

            return Task.FromResult(new StagingResult(true, "linked", [.. staged]));
        }
    }

    /// <summary>The participant grain as the runner sees it: it only takes the outcome.</summary>
    private sealed class ReplyProbe : IRunParticipantGrain
    {
        private readonly TaskCompletionSource<LocalStepOutcome> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<LocalStepOutcome> Outcome => _outcome.Task;

        public Task StepDoneAsync(LocalStepOutcome outcome)
        {
            _outcome.TrySetResult(outcome);
            return Task.CompletedTask;
        }

        public Task<RoundDelivery> ReceiveAsync(NationCode sender, string document) => throw new NotSupportedException();

        public Task JoinAsync(RunParticipation participation) => throw new NotSupportedException();

        public Task DeliveredAsync(Guid messageId, Delivery delivery) => throw new NotSupportedException();
    }
}
