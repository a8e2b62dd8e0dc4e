using System.Net;
using System.Security.Cryptography;
using System.Text;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Execution;
using Federation.Grains;
using Federation.Grains.Jobs;
using Federation.Silo.Jobs.Outputs;
using Federation.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Federation.Silo.Tests;

/// <summary>
/// Logs and outputs on one nation (FR, on PostgreSQL): a run's job directory written by the test, and the
/// execution and job records that point at it put into the grains' storage as the executor would
/// leave them. The executing nation's operators read everything (no release rule at home); names
/// that leave the outputs directory, links and unknown streams are refused; a job that has not run,
/// or ran on the simulated executor, says why there is nothing to read. The release rule between
/// nations is tested with real nations in Federation.EndToEnd.Tests (StagingTests).
/// </summary>
public sealed class JobOutputApiTests : IAsyncLifetime
{
    private static readonly string[] s_stdout = ["epoch 1 loss 0.9", "epoch 2 loss 0.5", "epoch 3 loss 0.3", "epoch 4 loss 0.2", "done"];
    private static readonly byte[] s_model = [.. Enumerable.Range(0, 70_000).Select(i => (byte)(i * 7))];

    private PostgresTestDatabase _database = null!;
    private SiloUnderTest _silo = null!;
    private string _root = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Client => _silo.Client;

    public async ValueTask InitializeAsync()
    {
        // On PostgreSQL: grain state written here is read back by the grains with the silo's own serializer.
        _database = await PostgresTestDatabase.CreateAsync("joboutputs");
        _silo = await SiloUnderTest.StartConfiguredAsync(_database.ConnectionString, new Dictionary<string, string?> { ["Federation:Nation:Code"] = "FR" });
        _root = Directory.CreateTempSubdirectory("job-outputs-").FullName;
    }

    public async ValueTask DisposeAsync()
    {
        await _silo.DisposeAsync();
        await _database.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task Execution_LogsAndOutputs_ServedToTheExecutingNationsOperators()
    {
        var job = TypedId.Parse<JobRef>("DE/job-7");
        var directory = WriteRun(job, 1);
        await SeedExecutionAsync(job, 1, directory, executor: "process");

        using (var whole = await Client.GetAsync("/api/v1/executions/DE/job-7/1/logs/stdout", Ct))
        {
            Assert.True(whole.Content.Headers.ContentType?.MediaType == "text/plain", await whole.Content.ReadAsStringAsync(Ct));
            Assert.Equal(string.Join('\n', s_stdout) + "\n", await whole.Content.ReadAsStringAsync(Ct));
        }

        Assert.Equal("epoch 4 loss 0.2\ndone\n", await Client.GetStringAsync("/api/v1/executions/DE/job-7/1/logs/stdout?tail=2", Ct));
        Assert.Equal(string.Join('\n', s_stdout) + "\n", await Client.GetStringAsync("/api/v1/executions/DE/job-7/1/logs/stdout?tail=100", Ct));
        Assert.Equal("warning: small batch\n", await Client.GetStringAsync("/api/v1/executions/DE/job-7/1/logs/stderr", Ct));
        await Http.ExpectInvalidFieldAsync(await Client.GetAsync("/api/v1/executions/DE/job-7/1/logs/stdin", Ct), "stream");
        await Http.ExpectInvalidFieldAsync(await Client.GetAsync("/api/v1/executions/DE/job-7/1/logs/stdout?tail=0", Ct), "tail");
        await Http.ExpectInvalidFieldAsync(await Client.GetAsync("/api/v1/executions/DE/job-7/1/logs/stdout?tail=x", Ct), "tail");

        // The listing: regular files by name, with size, sha256 and time; the link is not listed.
        var listing = await Http.ExpectAsync(await Client.GetAsync("/api/v1/executions/DE/job-7/1/outputs", Ct), HttpStatusCode.OK);
        Assert.Equal("DE/job-7", listing["job"]!.GetValue<string>());
        Assert.Equal(1, listing["epoch"]!.GetValue<int>());
        Assert.Equal("FR", listing["nation"]!.GetValue<string>());
        var items = listing["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
        Assert.Equal(["metrics/final.json", "model.bin"], items.Select(i => i["name"]!.GetValue<string>()));
        var model = items[1];
        Assert.Equal(s_model.Length, model["sizeBytes"]!.GetValue<long>());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(s_model)), model["sha256"]!.GetValue<string>());
        Assert.True(model["modified"]!.GetValue<DateTimeOffset>() > DateTimeOffset.UtcNow.AddMinutes(-5));

        // One file: the bytes and their sha256.
        using (var file = await Client.GetAsync("/api/v1/executions/DE/job-7/1/outputs/model.bin", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, file.StatusCode);
            Assert.Equal(s_model, await file.Content.ReadAsByteArrayAsync(Ct));
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(s_model)), file.Headers.GetValues("X-Content-Sha256").Single());
        }

        Assert.Equal("{\"auc\":0.91}", await Client.GetStringAsync("/api/v1/executions/DE/job-7/1/outputs/metrics/final.json", Ct));

        // Names that would leave the outputs directory, a link, a directory, nothing there.
        foreach (var name in new[] { "..%2Finputs%2FFR-health-cohort", "metrics%2F..%2F..%2Fstdout.log", "%2Fetc%2Fpasswd", "a%5Cb" })
        {
            var problem = await Http.ExpectInvalidFieldAsync(await Client.GetAsync($"/api/v1/executions/DE/job-7/1/outputs/{name}", Ct), "name");
            Assert.DoesNotContain(_root, problem.ToJsonString(), StringComparison.Ordinal);
        }

        var link = await Http.ExpectInvalidFieldAsync(await Client.GetAsync("/api/v1/executions/DE/job-7/1/outputs/peek", Ct), "name");
        Assert.Contains("symbolic link", link["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await Http.ExpectProblemAsync(await Client.GetAsync("/api/v1/executions/DE/job-7/1/outputs/metrics", Ct), HttpStatusCode.NotFound);
        await Http.ExpectProblemAsync(await Client.GetAsync("/api/v1/executions/DE/job-7/1/outputs/nothing.bin", Ct), HttpStatusCode.NotFound);
        var never = await Http.ExpectProblemAsync(await Client.GetAsync("/api/v1/executions/DE/job-7/2/outputs", Ct), HttpStatusCode.NotFound);
        Assert.Equal("FR was never offered epoch 2 of DE/job-7", never["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Job_RunAtHome_ReadsItsOwnRun_AndSaysWhyThereIsNothingToRead()
    {
        // Ran here on data of another nation that must stay there: at home nothing leaves, the rule does not apply.
        var job = TypedId.Parse<JobRef>("FR/train-9");
        var directory = WriteRun(job, 2);
        await SeedExecutionAsync(job, 2, directory, executor: "process");
        await SeedJobAsync(job, 2, "FR", JobState.Succeeded);

        Assert.Equal("done\n", await Client.GetStringAsync("/api/v1/jobs/train-9/logs/stdout?tail=1", Ct));
        var listing = await Http.ExpectAsync(await Client.GetAsync("/api/v1/jobs/train-9/outputs", Ct), HttpStatusCode.OK);
        Assert.Equal(2, listing["epoch"]!.GetValue<int>());
        Assert.Equal(2, listing["items"]!.AsArray().Count);
        Assert.Equal(s_model, await Client.GetByteArrayAsync("/api/v1/jobs/train-9/outputs/model.bin", Ct));
        await Http.ExpectInvalidFieldAsync(await Client.GetAsync("/api/v1/jobs/train-9/outputs/..%2Fstdout.log", Ct), "name");

        // The simulated executor keeps no job directory.
        var simulated = TypedId.Parse<JobRef>("FR/sim-1");
        await SeedExecutionAsync(simulated, 1, null, executor: "simulated");
        await SeedJobAsync(simulated, 1, "FR", JobState.Succeeded);
        var none = await Http.ExpectProblemAsync(await Client.GetAsync("/api/v1/jobs/sim-1/logs/stdout", Ct), HttpStatusCode.NotFound);
        Assert.Equal("epoch 1 of FR/sim-1 ran in FR under the simulated executor, which keeps no logs or outputs", none["detail"]!.GetValue<string>());
        await Http.ExpectProblemAsync(await Client.GetAsync("/api/v1/executions/FR/sim-1/1/outputs", Ct), HttpStatusCode.NotFound);

        // Not run yet, and no such job.
        await SeedJobAsync(TypedId.Parse<JobRef>("FR/pending-1"), 0, null, JobState.Planned);
        var pending = await Http.ExpectProblemAsync(await Client.GetAsync("/api/v1/jobs/pending-1/outputs", Ct), HttpStatusCode.NotFound);
        Assert.StartsWith("job FR/pending-1 has not run yet: it is planned", pending["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var unknown = await Http.ExpectProblemAsync(await Client.GetAsync("/api/v1/jobs/nobody/logs/stderr", Ct), HttpStatusCode.NotFound);
        Assert.StartsWith("FR has no job 'nobody'", unknown["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await Http.ExpectInvalidFieldAsync(await Client.GetAsync("/api/v1/jobs/train-9/logs/console", Ct), "stream");
    }

    [Fact]
    public async Task JobDirectory_UnderALinkedRoot_IsServed_ButAnOutputsDirectoryThatIsALinkIsNot()
    {
        // Job directories under a root reached through a link (as /tmp or a mount point may be): served.
        var real = Directory.CreateDirectory(Path.Combine(_root, "real-root")).FullName;
        var linked = Path.Combine(_root, "linked-root");
        Directory.CreateSymbolicLink(linked, real);
        var job = TypedId.Parse<JobRef>("DE/job-8");
        var directory = JobDirectory.For(linked, job, 1);
        Directory.CreateDirectory(directory.Outputs);
        await File.WriteAllBytesAsync(Path.Combine(directory.Outputs, "model.bin"), s_model, Ct);
        await File.WriteAllTextAsync(directory.Stdout, "ok\n", Ct);
        await SeedExecutionAsync(job, 1, directory.Path, executor: "process");
        Assert.Equal(s_model, await Client.GetByteArrayAsync("/api/v1/executions/DE/job-8/1/outputs/model.bin", Ct));
        Assert.Equal("ok\n", await Client.GetStringAsync("/api/v1/executions/DE/job-8/1/logs/stdout", Ct));
        Assert.Equal(Path.Combine(real, "DE", "job-8", "e1", "outputs", "model.bin"), FileSliceResult.RealPath(Path.Combine(directory.Outputs, "model.bin")));

        // A workload that turns its outputs directory into a link to its inputs gets nothing served from it.
        var other = TypedId.Parse<JobRef>("DE/job-9");
        var swapped = JobDirectory.For(real, other, 1);
        Directory.CreateDirectory(swapped.Inputs);
        await File.WriteAllTextAsync(Path.Combine(swapped.Inputs, "FR-health-cohort"), "patient rows", Ct);
        Directory.CreateSymbolicLink(swapped.Outputs, swapped.Inputs);
        await SeedExecutionAsync(other, 1, swapped.Path, executor: "process");
        var listing = await Http.ExpectAsync(await Client.GetAsync("/api/v1/executions/DE/job-9/1/outputs", Ct), HttpStatusCode.OK);
        Assert.Empty(listing["items"]!.AsArray());
        await Http.ExpectInvalidFieldAsync(await Client.GetAsync("/api/v1/executions/DE/job-9/1/outputs/FR-health-cohort", Ct), "name");
    }

    [Fact]
    public void Names_AndTails_AtTheClassLevel()
    {
        Assert.True(JobFiles.TryNormalizeName("metrics/final.json", out var name, out _));
        Assert.Equal("metrics/final.json", name);
        foreach (var bad in new[] { "", "..", "a/../../b", "a//b", "./a", "/etc/passwd", "a\\b", "..%2Fx", "a%00b" })
        {
            Assert.False(JobFiles.TryNormalizeName(bad, out _, out var error), bad);
            Assert.NotEmpty(error);
        }

        using var log = new MemoryStream(Encoding.UTF8.GetBytes("a\nb\nc\n"));
        Assert.Equal(4, JobFiles.TailOffset(log, log.Length, 1));
        Assert.Equal(2, JobFiles.TailOffset(log, log.Length, 2));
        Assert.Equal(0, JobFiles.TailOffset(log, log.Length, 3));
        Assert.Equal(0, JobFiles.TailOffset(log, log.Length, 10));
        using var open = new MemoryStream(Encoding.UTF8.GetBytes("a\nb\nlast without newline"));
        Assert.Equal(4, JobFiles.TailOffset(open, open.Length, 1));
        using var empty = new MemoryStream();
        Assert.Equal(0, JobFiles.TailOffset(empty, 0, 3));
        using var big = new MemoryStream(Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 5000).Select(i => $"line {i}\n"))));
        var offset = JobFiles.TailOffset(big, big.Length, 3);
        Assert.Equal("line 4997\nline 4998\nline 4999\n", Encoding.UTF8.GetString(big.ToArray()[(int)offset..]));
    }

    /// <summary>A job directory as an executor leaves it: logs, outputs (one in a subdirectory), an input, and a link out of the outputs.</summary>
    private string WriteRun(JobRef job, int epoch)
    {
        var directory = JobDirectory.For(_root, job, epoch);
        Directory.CreateDirectory(Path.Combine(directory.Outputs, "metrics"));
        Directory.CreateDirectory(directory.Inputs);
        File.WriteAllText(directory.Stdout, string.Join('\n', s_stdout) + "\n");
        File.WriteAllText(directory.Stderr, "warning: small batch\n");
        File.WriteAllBytes(Path.Combine(directory.Outputs, "model.bin"), s_model);
        File.WriteAllText(Path.Combine(directory.Outputs, "metrics", "final.json"), "{\"auc\":0.91}");
        File.WriteAllText(Path.Combine(directory.Inputs, "FR-health-cohort"), "patient rows");
        File.CreateSymbolicLink(Path.Combine(directory.Outputs, "peek"), Path.Combine(directory.Inputs, "FR-health-cohort"));
        return directory.Path;
    }

    private static JobSpec Spec(JobRef job) => new()
    {
        Id = job.Id,
        Owner = new JobOwner("alice@example.org", null),
        Inputs = [TypedId.Parse<DatasetRef>("FR/health-cohort")],
        Purpose = new JobPurpose { Use = ResearchCategory.HealthMedicalBiomedical },
        Accelerators = new AcceleratorRequest { Count = 1 },
        Work = WorkEstimate.Hours(1, TypedId.Parse<AcceleratorSlug>("a100-80gb-sxm")),
        Walltime = TimeSpan.FromHours(1),
        Workload = new WorkloadCall { Name = "demo-train", Version = "1.0" },
    };

    private async Task SeedExecutionAsync(JobRef job, int epoch, string? directory, string executor)
    {
        var now = DateTimeOffset.UtcNow;
        var record = new ExecutionRecord
        {
            Job = job,
            Epoch = epoch,
            Spec = Spec(job),
            Admission = new Admission(TypedId.Parse<NationCode>("FR"), epoch, true, "admitted", 30),
            State = JobState.Succeeded,
            StateReason = "finished with exit code 0",
            StartedAt = now.AddMinutes(-2),
            FinishedAt = now,
            Progress = 1,
            Version = 6,
            Run = new ExecutionRun { Executor = executor, Pool = "default", Handle = executor == "simulated" ? null : "4242", Directory = directory },
        };
        var storage = _silo.Services.GetRequiredKeyedService<IGrainStorage>(GrainStorageNames.Jobs);
        await storage.WriteStateAsync("execution", GrainId.Create("execution", IExecutionGrain.KeyOf(job, epoch)),
            new GrainState<ExecutionGrainState> { State = new ExecutionGrainState { Record = record } });
    }

    private async Task SeedJobAsync(JobRef job, int epoch, string? nation, JobState state)
    {
        var now = DateTimeOffset.UtcNow;
        var record = new JobRecord
        {
            Ref = job,
            Spec = Spec(job),
            State = state,
            StateReason = state == JobState.Planned ? "no nation can run it now" : "finished with exit code 0",
            Epoch = epoch,
            Nation = nation is null ? null : TypedId.Parse<NationCode>(nation),
            SubmittedAt = now.AddMinutes(-5),
            UpdatedAt = now,
            FinishedAt = state.IsFinished() ? now : null,
            Version = 4,
        };
        var storage = _silo.Services.GetRequiredKeyedService<IGrainStorage>(GrainStorageNames.Jobs);
        await storage.WriteStateAsync("job", GrainId.Create("job", IJobGrain.KeyOf(job)), new GrainState<JobGrainState> { State = new JobGrainState { Record = record } });
    }
}
