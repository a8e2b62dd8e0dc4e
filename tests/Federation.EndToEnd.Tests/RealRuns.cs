using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Federation.Execution.Slurm;
using Federation.Testing;

namespace Federation.EndToEnd.Tests;

/// <summary>
/// A federation whose nations run real workloads: an allow-listed test workload (pinned by
/// sha256, with a parameter schema) run as <c>nobody</c>; FR has an agent-managed pool (the
/// process executor) and a Slurm-managed pool on the real local Slurm cluster <c>fr</c>
/// (4 fake H100 GRES). DE and SE have no accelerators, so every job runs in FR.
/// </summary>
public sealed class RealRuns : IAsyncDisposable
{
    /// <summary>The test workload: writes a start line to a marker file, logs, sleeps, writes an output, exits as asked.</summary>
    public const string WorkloadScript = """
        #!/bin/sh
        seconds=1; code=0; marker=""
        for a in "$@"; do
          case "$a" in
            --seconds=*) seconds=${a#--seconds=} ;;
            --exit-code=*) code=${a#--exit-code=} ;;
            --marker=*) marker=${a#--marker=} ;;
          esac
        done
        [ -n "$marker" ] && echo "$FEDERATION_JOB e$FEDERATION_EPOCH uid=$(id -u)" >> "$marker"
        echo "training $FEDERATION_JOB on $FEDERATION_ACCELERATORS as uid $(id -u)"
        for f in "$FEDERATION_INPUTS"/*; do [ -e "$f" ] && echo "input $(basename "$f") $(wc -c < "$f") bytes"; done
        sleep "$seconds"
        echo "weights of $FEDERATION_JOB" > "$FEDERATION_OUTPUTS/model.bin"
        echo "finished" >&2
        exit "$code"

        """;

    private RealRuns(JobFederation federation, string directory, string slurmConf)
    {
        Federation = federation;
        Directory = directory;
        SlurmConf = slurmConf;
    }

    /// <summary>A token unique to this federation, so job names never meet a Slurm job of an earlier run (Slurm keeps ended jobs for MinJobAge).</summary>
    public string RunToken { get; } = Guid.NewGuid().ToString("N")[..6];

    /// <summary>A job id unique to this run: <paramref name="name"/> and the run token.</summary>
    public string Id(string name) => $"{name}-{RunToken}";

    /// <summary>The nations.</summary>
    public JobFederation Federation { get; }

    /// <summary>A directory every account may write (workload, markers, dataset files).</summary>
    public string Directory { get; }

    /// <summary>FR's Slurm cluster.</summary>
    public string SlurmConf { get; }

    /// <summary>A client of FR's Slurm cluster.</summary>
    public SlurmCli Slurm => new(SlurmConf, TimeSpan.FromSeconds(30));

    /// <summary>Starts the nations with the workload allow-listed everywhere and FR's two pools.</summary>
    public static async Task<RealRuns> StartAsync(IReadOnlyList<string>? extraForAll = null)
    {
        var slurmConf = await SlurmClusters.EnsureAsync("fr");
        await CancelAllAsync(slurmConf);
        var directory = System.IO.Directory.CreateTempSubdirectory("real-runs-").FullName;
        File.SetUnixFileMode(directory, (UnixFileMode)0b111_111_111);
        var workload = Path.Combine(directory, "train.sh");
        await File.WriteAllTextAsync(workload, WorkloadScript, TestContext.Current.CancellationToken);
        File.SetUnixFileMode(workload, (UnixFileMode)0b111_101_101);
        var sha = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(workload, TestContext.Current.CancellationToken)));
        var data = System.IO.Directory.CreateDirectory(Path.Combine(directory, "data")).FullName;
        File.SetUnixFileMode(data, (UnixFileMode)0b111_101_101);
        List<string> all =
        [
            $"--Federation:Data:Roots:0={data}",
            "--Federation:Executor:RunAs=nobody",
            "--Federation:Executor:PollSeconds=0.5",
            "--Federation:Workloads:0:Name=train",
            "--Federation:Workloads:0:Version=1.0",
            $"--Federation:Workloads:0:Path={workload}",
            $"--Federation:Workloads:0:Sha256={sha}",
            "--Federation:Workloads:0:Parameters:seconds:Type=integer",
            "--Federation:Workloads:0:Parameters:seconds:Minimum=0",
            "--Federation:Workloads:0:Parameters:seconds:Maximum=600",
            "--Federation:Workloads:0:Parameters:exit-code:Type=integer",
            "--Federation:Workloads:0:Parameters:marker:Type=string",
            "--Federation:Workloads:0:Parameters:marker:Pattern=/[A-Za-z0-9/._-]+",
            .. extraForAll ?? [],
        ];
        List<string> fr =
        [
            "--Federation:Nation:MaxForeignShare=1",
            "--Federation:Pools:0:Name=lab",
            "--Federation:Pools:0:Kind=agent",
            "--Federation:Pools:1:Name=hpc",
            "--Federation:Pools:1:Kind=slurm",
            $"--Federation:Pools:1:SlurmConf={slurmConf}",
            "--Federation:Pools:1:Gres:h100-sxm=h100",
        ];
        var federation = await JobFederation.StartAsync(
            new Dictionary<string, (string, string, int)[]> { ["FR"] = [("fr-a100", "a100-80gb-sxm", 4)] },
            new Dictionary<string, IReadOnlyList<string>> { ["*"] = all, ["FR"] = fr });
        var runs = new RealRuns(federation, directory, slurmConf);
        try
        {
            // FR's Slurm GRES reach DE's view of FR through FR's advert.
            await Eventually.WaitAsync(
                () => federation.PeerAsync("DE", "FR"),
                p => p?["lastAdvert"]?["accelerators"]?.AsArray().Any(a => a!["slug"]!.GetValue<string>() == "h100-sxm" && a["total"]!.GetValue<int>() == 4) == true,
                TimeSpan.FromSeconds(60),
                $"DE to see FR's 4 Slurm H100s in its advert{federation.Diagnostics()}",
                TimeSpan.FromMilliseconds(250));
        }
        catch
        {
            await runs.DisposeAsync();
            throw;
        }

        return runs;
    }

    /// <summary>A job running the test workload on <paramref name="count"/> accelerators of <paramref name="model"/>.</summary>
    public static JsonObject Job(string id, string input, string model, int count, int seconds, int exitCode = 0, string? marker = null)
    {
        var arguments = new JsonObject { ["seconds"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), ["exit-code"] = exitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (marker is not null)
        {
            arguments["marker"] = marker;
        }

        return new JsonObject
        {
            ["id"] = id,
            ["owner"] = new JsonObject { ["user"] = "alice@example.org", ["consortium"] = "onco-eu" },
            ["inputs"] = new JsonArray(input),
            ["purpose"] = new JsonObject { ["use"] = "HMB" },
            ["accelerators"] = new JsonObject { ["count"] = count, ["models"] = new JsonArray(model) },
            ["work"] = new JsonObject { ["acceleratorHours"] = 0.01, ["referenceAccelerator"] = "a100-80gb-sxm" },
            ["walltimeMinutes"] = 30,
            ["workload"] = new JsonObject { ["name"] = "train", ["version"] = "1.0", ["arguments"] = arguments },
        };
    }

    /// <summary>Registers a dataset whose bytes are a real file (so it can be linked or staged), readable by every account.</summary>
    public async Task RegisterFileDatasetAsync(string reference, string residency, int sizeBytes)
    {
        var (nation, id) = (reference.Split('/')[0], reference.Split('/')[1]);
        var path = Path.Combine(Directory, "data", $"{nation}-{id}.csv");
        var content = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, sizeBytes / 16 + 1).Select(i => $"{i:D6},{i % 97:D8}\n")))[..sizeBytes];
        await File.WriteAllBytesAsync(path, content, TestContext.Current.CancellationToken);
        File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100);
        var body = FederationFixtures.DatasetBody(reference, sizeBytes, new JsonObject { ["kind"] = residency }, new JsonObject { ["permission"] = "HMB" });
        body["location"] = new Uri(path).AbsoluteUri;
        body["sha256"] = Convert.ToHexStringLower(SHA256.HashData(content));
        body["format"] = "csv";
        using var response = await Federation.Client(nation).PostAsJsonAsync("api/v1/datasets", body, TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"registering {reference}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
    }

    /// <summary>The Slurm jobs FR's cluster knows by <paramref name="name"/>.</summary>
    public async Task<IReadOnlyList<SlurmJob>> SlurmJobsAsync(string name) => await Slurm.FindByNameAsync(name, TestContext.Current.CancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Federation.DisposeAsync();
        await CancelAllAsync(SlurmConf);
        if (Environment.GetEnvironmentVariable("FEDERATION_KEEP_TEST_DIRECTORIES") != "1")
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private static async Task CancelAllAsync(string slurmConf)
    {
        var slurm = new SlurmCli(slurmConf, TimeSpan.FromSeconds(30));
        foreach (var job in await slurm.ListAsync("", CancellationToken.None))
        {
            if (!job.State.IsFinished())
            {
                await slurm.CancelAsync(job.Id, CancellationToken.None);
            }
        }
    }
}

/// <summary>
/// One <see cref="RealRuns"/> federation for the tests that neither restart a nation nor change its
/// settings, with FR's home-only cohort and DE's open weather data registered once.
/// </summary>
public sealed class SharedRealRuns : IAsyncLifetime
{
    private RealRuns? _runs;

    /// <summary>The federation, started once for the class.</summary>
    public RealRuns Runs => _runs ?? throw new InvalidOperationException("The shared federation has not been started.");

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        _runs = await RealRuns.StartAsync();
        await _runs.RegisterFileDatasetAsync("FR/cohort", "homeOnly", 4096);
        await _runs.RegisterFileDatasetAsync("DE/weather", "anywhere", 200_000);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_runs is not null)
        {
            await _runs.DisposeAsync();
        }
    }
}
