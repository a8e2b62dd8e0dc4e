using System.Diagnostics;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json.Nodes;
using Federation.Fedctl.Local;
using Federation.Testing;

namespace Federation.EndToEnd.Tests;

/// <summary>
/// FR, DE, SE and GB launched by <c>fedctl local up --training</c> as real processes on PostgreSQL (one test
/// database per nation, dropped afterwards): every nation allow-lists a <c>train.sh</c> that runs the built
/// training workload (as <c>workloads/install-training.sh</c>'s script does, without publishing it again) and
/// holds <see cref="Rows"/> generated, non-IID rows of <c>patient-outcomes</c>. Each secure-aggregation stage
/// waits <see cref="StageTimeout"/> for missing nations. The script holds a local step while a hold file whose
/// text the step's arguments contain exists (<see cref="Hold"/>), so that a test can stop a nation mid-round.
/// One launched federation for every training test (<see cref="TrainingFederationCollection"/>); it also runs
/// the workload's verbs for a test's reference.
/// </summary>
public sealed class TrainingFederation : IAsyncLifetime
{
    /// <summary>
    /// Rows of each nation's <c>patient-outcomes</c>, by the test profile (<see cref="TrainingSizes"/>): 2,000 at CI size
    /// (the must-show's bound), the <c>federated</c> benchmark's default size (10,000) with <c>full</c>.
    /// </summary>
    public static int Rows { get; } = TrainingSizes.Rows;

    /// <summary>The nations launched.</summary>
    public static readonly string[] Nations = ["FR", "DE", "SE", "GB"];

    /// <summary>How long each secure-aggregation stage waits for missing nations.</summary>
    public static readonly TimeSpan StageTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan s_workloadTimeout = TimeSpan.FromMinutes(3);
    private readonly string _prefix = $"trainfed_{Guid.NewGuid():N}"[..21];
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();
    private LocalFederationState _state = null!;

    /// <summary>The launcher's directory (each nation's under it).</summary>
    public string Directory { get; private set; } = null!;

    /// <summary>The launcher, to stop and start nations.</summary>
    public LocalFederation Launcher { get; private set; } = null!;

    /// <summary>The built workload the script runs.</summary>
    public static string WorkloadDll { get; } = Path.GetFullPath(
        typeof(TrainingFederation).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "TrainingWorkloadDll").Value!);

    /// <summary>What the launcher printed, for failure messages.</summary>
    public string Log => $"{Environment.NewLine}launcher: {_output}{_error}";

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(WorkloadDll))
        {
            throw new InvalidOperationException($"the training workload is not built at {WorkloadDll}: build the solution (or workloads/Federation.Workloads.Training) in the same configuration first");
        }

        Directory = System.IO.Directory.CreateTempSubdirectory("training-federation-").FullName;
        var prefix = System.IO.Directory.CreateDirectory(Path.Combine(Directory, "training")).FullName;
        var script = Path.Combine(prefix, "train.sh");
        var holds = System.IO.Directory.CreateDirectory(Path.Combine(Directory, "holds")).FullName;
        await File.WriteAllTextAsync(script, $$"""
            #!/bin/sh
            for hold in '{{holds}}'/*; do
              [ -f "$hold" ] || continue
              case "$*" in *"$(cat "$hold")"*) while [ -f "$hold" ]; do sleep 0.2; done ;; esac
            done
            exec dotnet '{{WorkloadDll}}' "$@"

            """);
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var extra = new Dictionary<string, IReadOnlyList<string>>
        {
            ["*"] = [$"--Federation:Learning:StageTimeout={StageTimeout:c}", "--Federation:Postgres:MaxPoolSize=8"],
        };
        Launcher = new LocalFederation(Path.Combine(Directory, "nations"), _output, _error)
        {
            TrainingPrefix = prefix, TrainingRows = Rows, DatabasePrefix = _prefix, ExtraArguments = extra,
        };
        var silo = Path.Combine(AppContext.BaseDirectory, "Federation.Silo.dll");
        _state = await Launcher.UpAsync(Nations, silo, PostgresTestDatabase.ServerConnectionString, TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Launcher is not null)
        {
            await Launcher.DownAsync();
            foreach (var code in Nations)
            {
                await PostgresTestDatabase.DropAsync($"{_prefix}_{code.ToLowerInvariant()}");
            }
        }

        _output.Dispose();
        _error.Dispose();
        if (Directory is not null)
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    /// <summary>A client of <paramref name="code"/>'s user API, with its operator token (writes need it on PostgreSQL).</summary>
    public HttpClient Client(string code)
    {
        var client = new HttpClient { BaseAddress = new Uri(_state.Nations.Single(n => n.Code == code).ApiUrl + "/"), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", $"local-{code.ToLowerInvariant()}-admin-token");
        return client;
    }

    /// <summary>
    /// Holds every local step whose arguments contain <paramref name="text"/> (e.g. <c>/job-id/steps/r2a0/</c>:
    /// round 2 of a job) until the returned hold is disposed.
    /// </summary>
    public IDisposable Hold(string text)
    {
        var path = Path.Combine(Directory, "holds", Guid.NewGuid().ToString("N"));
        File.WriteAllText(path, text);
        return new HoldFile(path);
    }

    /// <summary>The generated <c>patient-outcomes</c> CSV of <paramref name="code"/> (what its catalogue registers).</summary>
    public string Dataset(string code) => Path.Combine(Directory, "nations", code, "data", LocalTraining.Folder, "patient-outcomes.csv");

    /// <summary>The executor work root of <paramref name="code"/>.</summary>
    public string WorkRoot(string code) => Path.Combine(Directory, "nations", code, "jobs");

    /// <summary>Waits until <paramref name="from"/> has a reachable advert offering <c>train@1.0</c> from each of <paramref name="peers"/>.</summary>
    public async Task WaitForTrainingAdvertsAsync(string from, params string[] peers)
    {
        using var client = Client(from);
        foreach (var peer in peers)
        {
            await Eventually.WaitAsync(
                async () => (await client.GetFromJsonAsync<JsonArray>("api/v1/peers", TestContext.Current.CancellationToken))!
                    .Select(p => p!.AsObject()).FirstOrDefault(p => p["nation"]!.GetValue<string>() == peer),
                p => p?["health"]?.GetValue<string>() == "reachable"
                    && p["lastAdvert"]?["workloads"]?.AsArray().Any(w => w!["name"]!.GetValue<string>() == "train" && w["version"]!.GetValue<string>() == "1.0") == true,
                TimeSpan.FromSeconds(30),
                $"{from} to see {peer} reachable and offering train@1.0" + Log);
        }
    }

    /// <summary>Kills <paramref name="code"/>'s silo (SIGKILL, as a crash).</summary>
    public Task KillAsync(string code) => Launcher.KillNationAsync(code);

    /// <summary>Starts <paramref name="code"/> again (same ports and database) and waits until its peers see it reachable.</summary>
    public async Task RestartAsync(string code)
    {
        await Launcher.StartNationAsync(code, TestContext.Current.CancellationToken);
        _state = LocalFederationState.Read(Launcher.StatePath)!;
        await WaitForTrainingAdvertsAsync("DE", code);
    }

    /// <summary>Runs the workload's <paramref name="verb"/> with <paramref name="arguments"/>; its standard error in the failure.</summary>
    public static async Task RunWorkloadAsync(string verb, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])[WorkloadDll, verb, .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(s_workloadTimeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        await output;
        Assert.True(process.ExitCode == 0, $"the workload's {verb} exited {process.ExitCode}: {await errors}");
    }

    /// <summary>Runs the workload's <paramref name="verb"/> with a manifest written from <paramref name="manifest"/> into <paramref name="directory"/>.</summary>
    public static async Task RunManifestAsync(string verb, JsonObject manifest, string directory)
    {
        var path = Path.Combine(directory, verb + ".manifest.json");
        await File.WriteAllTextAsync(path, manifest.ToJsonString());
        await RunWorkloadAsync(verb, "--manifest", path);
    }

    private sealed class HoldFile(string path) : IDisposable
    {
        public void Dispose() => File.Delete(path);
    }
}
