using System.Security.Cryptography;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Execution;
using Federation.Fedctl.Jobs;
using Federation.Grains;
using Federation.Grains.Jobs;
using Federation.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace Federation.Fedctl.Tests;

/// <summary>
/// <c>fedctl jobs logs</c> and <c>fedctl jobs outputs</c> against a nation (FR, on PostgreSQL) with a
/// run of its own in place as the process executor leaves it (job directory, execution and job
/// records), a job that ran on the simulated executor and one that has not run; and the distinct exit
/// code when the nation that ran a job keeps its outputs (answered here by a stand-in API: the real
/// refusal between nations is in Federation.EndToEnd.Tests' StagingTests).
/// </summary>
public sealed class JobOutputCliTests : IAsyncLifetime
{
    private static readonly byte[] s_model = [.. Enumerable.Range(0, 90_000).Select(i => (byte)(i * 13))];

    private PostgresTestDatabase _database = null!;
    private SiloUnderTest _silo = null!;
    private string _root = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _database = await PostgresTestDatabase.CreateAsync("joboutputcli");
        _silo = await SiloUnderTest.StartConfiguredAsync(_database.ConnectionString, new Dictionary<string, string?> { ["Federation:Nation:Code"] = "FR" });
        _root = Directory.CreateTempSubdirectory("fedctl-outputs-").FullName;

        var job = TypedId.Parse<JobRef>("FR/train-9");
        var directory = JobDirectory.For(Path.Combine(_root, "jobs"), job, 1);
        Directory.CreateDirectory(Path.Combine(directory.Outputs, "metrics"));
        await File.WriteAllTextAsync(directory.Stdout, "epoch 1 loss 0.9\nepoch 2 loss 0.4\ndone\n", Ct);
        await File.WriteAllTextAsync(directory.Stderr, "warning: small batch\n", Ct);
        await File.WriteAllBytesAsync(Path.Combine(directory.Outputs, "model.bin"), s_model, Ct);
        await File.WriteAllTextAsync(Path.Combine(directory.Outputs, "metrics", "final.json"), "{\"auc\":0.91}", Ct);
        await SeedAsync(job, 1, new ExecutionRun { Executor = "process", Pool = "default", Handle = "4242", Directory = directory.Path }, JobState.Succeeded);
        await SeedAsync(TypedId.Parse<JobRef>("FR/sim-1"), 1, new ExecutionRun { Executor = "simulated", Pool = "default" }, JobState.Succeeded);
        await SeedAsync(TypedId.Parse<JobRef>("FR/pending-1"), 0, null, JobState.Planned);
    }

    public async ValueTask DisposeAsync()
    {
        await _silo.DisposeAsync();
        await _database.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    private Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        var environment = FedctlRun.CleanEnvironment();
        environment["FEDCTL_URL"] = _silo.BaseAddress.ToString();
        environment["FEDCTL_TOKEN"] = SiloUnderTest.AdminToken;
        return FedctlRun.RunAsync(environment, args);
    }

    [Fact]
    public async Task Logs_WholeTailStderr_AndWhyThereIsNone()
    {
        var (exit, output, error) = await RunAsync("jobs", "logs", "train-9");
        Assert.True(exit == ExitCodes.Ok, $"exit {exit}: {output} {error}");
        Assert.Equal("epoch 1 loss 0.9\nepoch 2 loss 0.4\ndone\n", output);

        (exit, output, error) = await RunAsync("jobs", "logs", "FR/train-9", "--tail", "2");
        Assert.True(exit == ExitCodes.Ok, $"exit {exit}: {output} {error}");
        Assert.Equal("epoch 2 loss 0.4\ndone\n", output);

        (exit, output, _) = await RunAsync("jobs", "logs", "train-9", "--stderr");
        Assert.Equal((ExitCodes.Ok, "warning: small batch\n"), (exit, output));

        (exit, _, error) = await RunAsync("jobs", "logs", "train-9", "--tail", "0");
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("--tail takes 1 to 100000 lines", error, StringComparison.Ordinal);

        (exit, _, error) = await RunAsync("jobs", "logs", "sim-1");
        Assert.Equal(ExitCodes.NotFound, exit);
        Assert.Contains("error: not found: epoch 1 of FR/sim-1 ran in FR under the simulated executor, which keeps no logs or outputs", error, StringComparison.Ordinal);

        (exit, _, error) = await RunAsync("jobs", "logs", "pending-1");
        Assert.Equal(ExitCodes.NotFound, exit);
        Assert.Contains("job FR/pending-1 has not run yet: it is planned", error, StringComparison.Ordinal);

        (exit, _, error) = await RunAsync("jobs", "logs", "DE/train-9");
        Assert.Equal(ExitCodes.NotFound, exit);
        Assert.Contains("ask that nation's silo", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outputs_Table_Json_AndDownload()
    {
        var (exit, output, error) = await RunAsync("jobs", "outputs", "train-9");
        Assert.True(exit == ExitCodes.Ok, $"exit {exit}: {output} {error}");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAME +SIZE +SHA256 +MODIFIED$", lines[0].TrimEnd());
        Assert.Matches(@"^metrics/final\.json +12 +[0-9a-f]{64} +\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$", lines[1].TrimEnd());
        Assert.Matches($"^model\\.bin +90000 +{Convert.ToHexStringLower(SHA256.HashData(s_model))} ", lines[2]);
        Assert.Contains("fedctl jobs outputs train-9 --get NAME", error, StringComparison.Ordinal);

        (exit, output, _) = await RunAsync("jobs", "outputs", "train-9", "--json");
        Assert.Equal(ExitCodes.Ok, exit);
        var listing = System.Text.Json.Nodes.JsonNode.Parse(output)!;
        Assert.Equal("FR/train-9", listing["job"]!.GetValue<string>());
        Assert.Equal(2, listing["items"]!.AsArray().Count);

        var target = Path.Combine(_root, "model-copy.bin");
        (exit, output, error) = await RunAsync("jobs", "outputs", "train-9", "--get", "model.bin", "--to", target);
        Assert.True(exit == ExitCodes.Ok, $"exit {exit}: {output} {error}");
        Assert.Equal(s_model, await File.ReadAllBytesAsync(target, Ct));
        Assert.StartsWith($"saved model.bin of job train-9 to {target} (90000 bytes, sha256 {Convert.ToHexStringLower(SHA256.HashData(s_model))}, verified)", output, StringComparison.Ordinal);

        var json = Path.Combine(_root, "final.json");
        (exit, _, _) = await RunAsync("jobs", "outputs", "train-9", "--get", "metrics/final.json", "--to", json);
        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Equal("{\"auc\":0.91}", await File.ReadAllTextAsync(json, Ct));

        (exit, _, error) = await RunAsync("jobs", "outputs", "train-9", "--get", "../stdout.log", "--to", Path.Combine(_root, "x"));
        Assert.Equal(ExitCodes.Invalid, exit);
        Assert.Contains("name:", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_root, "x")));

        (exit, _, _) = await RunAsync("jobs", "outputs", "train-9", "--get", "nothing.bin", "--to", Path.Combine(_root, "y"));
        Assert.Equal(ExitCodes.NotFound, exit);
        Assert.False(File.Exists(Path.Combine(_root, "y")));
    }

    [Fact]
    public async Task Withheld_PrintsTheReason_AndExitsWithItsOwnCode()
    {
        const string Detail = "outputs of FR/job-7 stay in DE: it read DE/health-cohort, which may be processed only in DE; DE's operators can read them at GET /api/v1/executions/FR/job-7/1/outputs";
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddProblemDetails();
        await using var app = builder.Build();
        var refusal = Results.Problem(detail: Detail, statusCode: StatusCodes.Status403Forbidden, title: "Stays in the executing nation",
            extensions: new Dictionary<string, object?> { ["withheldIn"] = "DE", ["dataset"] = "DE/health-cohort" });
        app.MapGet("/api/v1/jobs/{id}/outputs", () => refusal);
        app.MapGet("/api/v1/jobs/{id}/outputs/{**name}", () => refusal);
        app.MapGet("/api/v1/jobs/{id}/logs/{stream}", () => refusal);
        await app.StartAsync(Ct);
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var environment = FedctlRun.CleanEnvironment();
        environment["FEDCTL_URL"] = url;

        foreach (var args in new[] { new[] { "jobs", "outputs", "job-7" }, ["jobs", "outputs", "job-7", "--get", "model.bin", "--to", Path.Combine(_root, "z")], ["jobs", "logs", "job-7", "--stderr"] })
        {
            var (exit, output, error) = await FedctlRun.RunAsync(environment, args);
            Assert.True(exit == JobFileCommands.Withheld, $"fedctl {string.Join(' ', args)}: exit {exit}: {output} {error}");
            Assert.Equal($"error: withheld in DE: {Detail}", error.Trim());
            Assert.Empty(output);
        }

        Assert.False(File.Exists(Path.Combine(_root, "z")));
        await app.StopAsync(Ct);
    }

    private async Task SeedAsync(JobRef job, int epoch, ExecutionRun? run, JobState state)
    {
        var now = DateTimeOffset.UtcNow;
        var spec = new JobSpec
        {
            Id = job.Id,
            Owner = new JobOwner("alice@example.org", null),
            Purpose = new JobPurpose { Use = ResearchCategory.General },
            Accelerators = new AcceleratorRequest { Count = 1 },
            Work = WorkEstimate.Hours(1, TypedId.Parse<AcceleratorSlug>("a100-80gb-sxm")),
            Walltime = TimeSpan.FromHours(1),
            Workload = new WorkloadCall { Name = "demo-train", Version = "1.0" },
        };
        var fr = TypedId.Parse<NationCode>("FR");
        var storage = _silo.Services.GetRequiredKeyedService<IGrainStorage>(GrainStorageNames.Jobs);
        if (run is not null)
        {
            var execution = new ExecutionRecord
            {
                Job = job,
                Epoch = epoch,
                Spec = spec,
                Admission = new Admission(fr, epoch, true, "admitted", 30),
                State = state,
                StartedAt = now.AddMinutes(-1),
                FinishedAt = now,
                Progress = 1,
                Version = 5,
                Run = run,
            };
            await storage.WriteStateAsync("execution", GrainId.Create("execution", IExecutionGrain.KeyOf(job, epoch)),
                new GrainState<ExecutionGrainState> { State = new ExecutionGrainState { Record = execution } });
        }

        var record = new JobRecord
        {
            Ref = job,
            Spec = spec,
            State = state,
            StateReason = state == JobState.Planned ? "no nation can run it now" : "finished with exit code 0",
            Epoch = epoch,
            Nation = epoch > 0 ? fr : null,
            SubmittedAt = now.AddMinutes(-3),
            UpdatedAt = now,
            FinishedAt = state.IsFinished() ? now : null,
            Version = 3,
        };
        await storage.WriteStateAsync("job", GrainId.Create("job", IJobGrain.KeyOf(job)), new GrainState<JobGrainState> { State = new JobGrainState { Record = record } });
    }
}
