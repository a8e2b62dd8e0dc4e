using System.Collections.Immutable;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Execution.Processes;
using Federation.Execution.Workloads;
using Microsoft.Extensions.Logging.Abstractions;

namespace Federation.Execution.Tests.Processes;

/// <summary>
/// The process executor's checkpoint signal on a real detached runner (<c>setsid</c>, <c>sh</c>, <c>timeout</c>): the
/// workload traps SIGUSR1 and writes a checkpoint file; the runner and <c>timeout</c>, which SIGUSR1 would end, live on,
/// and the workload goes on running until it is stopped.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class ProcessExecutorCheckpointTests : IDisposable
{
    /// <summary>
    /// A workload that, once signalled, writes a checkpoint file (whole, then renamed: it is read as soon as
    /// it appears) and then a "resumed" one on its next step.
    /// </summary>
    public const string Workload = """
        #!/bin/sh
        out="$FEDERATION_OUTPUTS"
        checkpointed=0
        trap 'echo "checkpoint of $FEDERATION_JOB e$FEDERATION_EPOCH" > "$out/checkpoint.part" && mv "$out/checkpoint.part" "$out/checkpoint"; checkpointed=1' USR1
        echo started > "$out/started"
        i=0
        while [ $i -lt 600 ]; do
          sleep 0.1
          [ $checkpointed = 1 ] && [ ! -e "$out/resumed" ] && echo resumed > "$out/resumed"
          i=$((i+1))
        done
        exit 0

        """;

    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);
    private readonly string _root = Directory.CreateTempSubdirectory("checkpoint-process-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SignalCheckpoint_RunningWorkload_TrapsUsr1WritesItsCheckpoint_RunnerLivesOnUntilStopped()
    {
        var executor = new ProcessExecutor(new ExecutorSettings { WorkRoot = _root }, TimeProvider.System, NullLogger<ProcessExecutor>.Instance);
        var request = await RequestAsync(_root, NodePool.DefaultAgent, "h100-sxm");
        var (_, started) = await executor.StartAsync(request, Ct);
        Assert.Equal(RunPhase.Running, started.Phase);
        var outputs = request.Directory.Outputs;
        await WaitForFileAsync(Path.Combine(outputs, "started"), "the workload started and set its SIGUSR1 trap");
        var pid = (await File.ReadAllTextAsync(request.Directory.PidFile, Ct)).Trim();

        await executor.SignalCheckpointAsync(request, pid, Ct);

        await WaitForFileAsync(Path.Combine(outputs, "checkpoint"), "the workload trapped SIGUSR1 and wrote its checkpoint");
        Assert.Equal("checkpoint of FR/ckpt-1 e1", (await File.ReadAllTextAsync(Path.Combine(outputs, "checkpoint"), Ct)).Trim());
        await WaitForFileAsync(Path.Combine(outputs, "resumed"), "the workload went on after its checkpoint");
        var polled = await executor.PollAsync(request, pid, Ct);
        Assert.True(polled.Phase == RunPhase.Running, $"the runner and timeout live on after SIGUSR1: {polled.Phase} ({polled.Reason})");
        Assert.False(File.Exists(request.Directory.ExitFile), "no exit code: the workload did not end");

        await executor.StopAsync(request, pid, Ct);
        var deadline = DateTimeOffset.UtcNow + s_wait;
        while ((await executor.PollAsync(request, pid, Ct)).Phase == RunPhase.Running)
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"the run was not stopped within {s_wait.TotalSeconds} s of StopAsync");
            await Task.Delay(100, Ct);
        }
    }

    [Fact]
    public async Task SignalCheckpoint_NoRunner_DoesNothing()
    {
        var executor = new ProcessExecutor(new ExecutorSettings { WorkRoot = _root }, TimeProvider.System, NullLogger<ProcessExecutor>.Instance);
        var request = await RequestAsync(_root, NodePool.DefaultAgent, "h100-sxm");

        await executor.SignalCheckpointAsync(request, null, Ct);
        await executor.SignalCheckpointAsync(request, "1", Ct); // pid 1 is no runner of this job: left alone

        Assert.False(File.Exists(Path.Combine(request.Directory.Outputs, "checkpoint")));
    }

    /// <summary>A request to run <see cref="Workload"/> (allow-listed by its sha256) on one accelerator, its job directory made.</summary>
    public static async Task<RunRequest> RequestAsync(string root, NodePool pool, string accelerator, string workload = Workload)
    {
        var file = Path.Combine(root, "checkpointing.sh");
        await File.WriteAllTextAsync(file, workload, Ct);
        File.SetUnixFileMode(file, (UnixFileMode)0b111_101_101);
        var definition = new WorkloadDefinition { Name = "checkpointing", Version = "1.0", Path = file, Sha256 = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(file, Ct))) };
        var job = TypedId.Parse<JobRef>("FR/ckpt-1");
        var spec = new JobSpec
        {
            Id = "ckpt-1",
            Owner = new JobOwner("alice", null),
            Purpose = new JobPurpose { Use = ResearchCategory.General },
            Accelerators = new AcceleratorRequest { Count = 1 },
            Work = new WorkEstimate { AcceleratorHours = 0.1 },
            Walltime = TimeSpan.FromMinutes(10),
            Workload = new WorkloadCall { Name = "checkpointing", Version = "1.0" },
        };
        var directory = JobDirectory.For(root, job, 1);
        Directory.CreateDirectory(directory.Inputs);
        Directory.CreateDirectory(directory.Outputs);
        return new RunRequest(job, 1, spec, definition, directory, pool, TypedId.Parse<AcceleratorSlug>(accelerator), ImmutableArray<Federation.Execution.Staging.StagedInput>.Empty);
    }

    private static async Task WaitForFileAsync(string path, string what)
    {
        var deadline = DateTimeOffset.UtcNow + s_wait;
        while (!File.Exists(path))
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"{what}: {path} did not appear within {s_wait.TotalSeconds} s");
            await Task.Delay(50, Ct);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A stopped workload may still be going away; the temporary directory is left.
        }
    }
}
