using System.Collections.Immutable;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Execution;
using Federation.Execution.Slurm;
using Federation.Execution.Workloads;
using Federation.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Federation.Slurm.Tests;

/// <summary>
/// The Slurm executor's checkpoint signal against the real local cluster <c>fr</c> (<c>gpu:h100:4</c>): the batch
/// script runs the workload without <c>srun</c>, so <c>scancel --full --signal=USR1</c> must reach the workload, and
/// the script (which traps USR1) must live on; the job runs on until the executor cancels it.
/// </summary>
[UnsupportedOSPlatform("windows")]
[Trait("Category", "EndToEnd")]
public sealed class SlurmCheckpointTests : IAsyncLifetime
{
    /// <summary>
    /// Once signalled, writes a checkpoint file (whole, then renamed, as a checkpoint should be: the test
    /// reads it as soon as it appears) and, on its next step, a "resumed" one; runs up to a minute.
    /// </summary>
    private const string Workload = """
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

    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(60);
    private string _root = null!;
    private NodePool _pool = null!;
    private SlurmExecutor _executor = null!;
    private RunRequest? _request;
    private string? _handle;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var conf = await SlurmClusters.EnsureAsync("fr");
        _root = Directory.CreateTempSubdirectory("checkpoint-slurm-").FullName;
        _pool = new NodePool { Name = "hpc", Kind = NodePoolKind.Slurm, SlurmConf = conf, Gres = ImmutableSortedDictionary<string, string>.Empty.Add("h100-sxm", "h100") };
        var settings = new ExecutorSettings { WorkRoot = _root, Pools = [_pool] };
        _executor = new SlurmExecutor(new SlurmPools(settings), settings, NullLogger<SlurmExecutor>.Instance);
    }

    public async ValueTask DisposeAsync()
    {
        if (_request is not null)
        {
            await _executor.CancelByNameAsync(_pool, _request.Job, _request.Epoch, _handle, CancellationToken.None);
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // The cancelled job may still be going away; the temporary directory is left.
        }
    }

    [Fact]
    public async Task SignalCheckpoint_RunningBatchJob_WorkloadGetsUsr1_BatchScriptLivesOn_ThenTheCancelEndsIt()
    {
        _request = await RequestAsync();
        var outputs = _request.Directory.Outputs;
        var (handle, _) = await _executor.StartAsync(_request, Ct);
        Assert.NotNull(handle);
        _handle = handle;
        await WaitAsync(() => Task.FromResult(File.Exists(Path.Combine(outputs, "started"))), "the batch job runs its workload, which set its SIGUSR1 trap");

        await _executor.SignalCheckpointAsync(_request, handle, Ct);

        await WaitAsync(() => Task.FromResult(File.Exists(Path.Combine(outputs, "checkpoint"))), "the workload (no job step: a child of the batch script) got SIGUSR1 and wrote its checkpoint");
        Assert.Equal($"checkpoint of {_request.Job} e1", (await File.ReadAllTextAsync(Path.Combine(outputs, "checkpoint"), Ct)).Trim());
        await WaitAsync(() => Task.FromResult(File.Exists(Path.Combine(outputs, "resumed"))), "the workload went on after its checkpoint");
        var running = await _executor.PollAsync(_request, handle, Ct);
        Assert.True(running.Phase == RunPhase.Running, $"the batch script lives on after SIGUSR1: {running.Phase} ({running.Reason})");
        Assert.False(File.Exists(_request.Directory.ExitFile), "no exit code: the workload did not end");

        await _executor.StopAsync(_request, handle, Ct);

        await WaitAsync(async () => (await _executor.PollAsync(_request, handle, Ct)).Phase == RunPhase.Cancelled, "scancel ended the job (cancelled)");
    }

    private async Task<RunRequest> RequestAsync()
    {
        // Jobs run as root here, but keep the directory open like the other Slurm tests.
        File.SetUnixFileMode(_root, (UnixFileMode)0b111_111_111);
        var file = Path.Combine(_root, "checkpointing.sh");
        await File.WriteAllTextAsync(file, Workload, Ct);
        File.SetUnixFileMode(file, (UnixFileMode)0b111_101_101);
        var definition = new WorkloadDefinition { Name = "checkpointing", Version = "1.0", Path = file, Sha256 = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(file, Ct))) };
        var id = $"ckpt-{Guid.NewGuid():N}"[..13];
        var job = TypedId.Parse<JobRef>($"FR/{id}");
        var spec = new JobSpec
        {
            Id = id,
            Owner = new JobOwner("alice", null),
            Purpose = new JobPurpose { Use = ResearchCategory.General },
            Accelerators = new AcceleratorRequest { Count = 1 },
            Work = new WorkEstimate { AcceleratorHours = 0.1 },
            Walltime = TimeSpan.FromMinutes(10),
            Workload = new WorkloadCall { Name = "checkpointing", Version = "1.0" },
        };
        var directory = JobDirectory.For(_root, job, 1);
        Directory.CreateDirectory(directory.Inputs);
        Directory.CreateDirectory(directory.Outputs);
        return new RunRequest(job, 1, spec, definition, directory, _pool, TypedId.Parse<AcceleratorSlug>("h100-sxm"), ImmutableArray<Federation.Execution.Staging.StagedInput>.Empty);
    }

    private static async Task WaitAsync(Func<Task<bool>> done, string what)
    {
        var deadline = DateTimeOffset.UtcNow + s_wait;
        while (!await done())
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"{what}: not within {s_wait.TotalSeconds} s");
            await Task.Delay(100, Ct);
        }
    }
}
