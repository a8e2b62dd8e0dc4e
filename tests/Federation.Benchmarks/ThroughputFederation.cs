using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Federation.Fedctl.Local;
using Federation.Testing;
using Npgsql;

namespace Federation.Benchmarks;

/// <summary>
/// FR, DE and SE as silo processes on PostgreSQL (one database each, under a prefix of their own,
/// dropped at the end), mutual TLS between them, for the throughput benchmark: FR holds a
/// home-only dataset and enough accelerators that no job waits for one; runs last an hour, leases
/// an hour, so that what is measured is taking and placing jobs, not running them.
/// </summary>
internal sealed class ThroughputFederation : IAsyncDisposable
{
    /// <summary>The dataset every job reads: FR's, home-only, so FR is the only nation that may run them.</summary>
    public const string Dataset = "FR/throughput-cohort";

    /// <summary>The grain storage of jobs and executions, whose group commit the report shows.</summary>
    public const string JobsStorage = Federation.Grains.GrainStorageNames.Jobs;

    /// <summary>Accelerators per FR node (the API's maximum).</summary>
    public const int AcceleratorsPerNode = 1024;

    /// <summary>What every silo runs with besides the launcher's own arguments.</summary>
    public static IReadOnlyList<string> SiloArguments { get; } =
    [
        "--Federation:Jobs:LeaseSeconds=3600",
        "--Federation:Jobs:GraceSeconds=600",
        "--Federation:Jobs:MarginSeconds=60",
        "--Federation:Executor:SecondsPerEstimatedHour=3600",
        "--Federation:Executor:ProgressSeconds=3600",
        "--Federation:Nation:MaxForeignShare=1",
        "--Federation:SeedDemoCatalogue=false",
        "--Logging:LogLevel:Default=Warning",
        "--Logging:LogLevel:Federation.Silo.Postgres.GroupCommitGrainStorage=Information",
        "--Logging:LogLevel:Federation.Silo.Jobs.FederationCourier=Information",
        "--Logging:LogLevel:Federation.Stages=Debug",
        "--Federation:Hosting:StageJobs=/ll-", // the low-load jobs (JobLatency), whose stages are printed; not the thousands timed at saturation
    ];

    /// <summary><see cref="SiloArguments"/>, and the switch that stops appends to the transparency log when <paramref name="log"/> is false.</summary>
    public static IReadOnlyList<string> ArgumentsOf(bool log) => log ? SiloArguments : [.. SiloArguments, "--Federation:Transparency:Record=false"];

    /// <summary>
    /// The telemetry switches after <see cref="ArgumentsOf"/> (with a leading space), for <paramref name="nation"/>'s
    /// span file in <paramref name="directory"/>: none when <paramref name="telemetry"/> is null (the silos'
    /// defaults); metrics off and no exporter when false; metrics on and a span file when true.
    /// </summary>
    public static string TelemetryArguments(bool? telemetry, string nation, string directory = "<run directory>") => telemetry switch
    {
        null => "",
        false => " --Federation:Telemetry:Metrics=false",
        true => $" --Federation:Telemetry:Metrics=true --Federation:Telemetry:SpanFile={Path.Combine(directory, $"spans-{nation}.jsonl")}",
    };

    private readonly string _directory;
    private readonly string _prefix;
    private readonly StringWriter _launcherOutput = new();
    private readonly StringWriter _launcherError = new();
    private readonly Dictionary<string, HttpClient> _clients = new(StringComparer.Ordinal);
    private readonly List<ThroughputSilo> _silos = [];
    private LocalFederation? _launcher;

    private ThroughputFederation(string directory, string prefix)
    {
        _directory = directory;
        _prefix = prefix;
    }

    /// <summary>What the launcher started.</summary>
    public LocalFederationState State { get; private set; } = null!;

    /// <summary>The directory under which the silos make their job directories (one per nation), or null: the run's directory.</summary>
    public string? JobsRoot { get; private init; }

    /// <summary>The database prefix of this run.</summary>
    public string Prefix => _prefix;

    /// <summary>Every silo process of the run, the launcher's first silo of each nation first.</summary>
    public IReadOnlyList<ThroughputSilo> Silos => _silos;

    /// <summary>
    /// Starts the three nations with <paramref name="silosPerNation"/> silos each (the second on the
    /// same database, certificate and roster), registers FR's dataset and nodes, and waits until DE
    /// sees FR's accelerators. The silos run with the runtime's production defaults: this process
    /// removes the runtime's compilation and GC variables from the environment they inherit
    /// (<see cref="RemovedRuntimeVariables"/> says which were set).
    /// </summary>
    /// <remarks>The silos make their job directories under <paramref name="workRoot"/> (a directory of this run there, removed at the end), or in the run's directory when it is null.</remarks>
    public static async Task<ThroughputFederation> StartAsync(int jobs, int silosPerNation, bool log, bool? telemetry, string? workRoot, TextWriter output, CancellationToken cancellationToken)
    {
        foreach (var name in RemovedRuntimeVariables)
        {
            Environment.SetEnvironmentVariable(name, null);
        }

        var prefix = $"fedbench_{Guid.NewGuid():N}"[..17];
        var federation = new ThroughputFederation(Directory.CreateTempSubdirectory("throughput-").FullName, prefix)
        {
            JobsRoot = workRoot is null ? null : Directory.CreateDirectory(Path.Combine(workRoot, prefix + "-jobs")).FullName,
        };
        try
        {
            await federation.UpAsync(jobs, silosPerNation, log, telemetry, output, cancellationToken);
        }
        catch
        {
            await federation.DisposeAsync();
            throw;
        }

        return federation;
    }

    /// <summary>The runtime knobs (tiered compilation, GC) set in this process's environment, which the silos do not inherit.</summary>
    public static IReadOnlyList<string> RemovedRuntimeVariables =>
        [.. Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k.StartsWith("DOTNET_", StringComparison.OrdinalIgnoreCase) || k.StartsWith("COMPlus_", StringComparison.OrdinalIgnoreCase))
            .Where(k => k[(k.IndexOf('_') + 1)..] is var knob
                && (knob.StartsWith("Tiered", StringComparison.OrdinalIgnoreCase) || knob.StartsWith("TC_", StringComparison.OrdinalIgnoreCase)
                    || knob.StartsWith("GC", StringComparison.OrdinalIgnoreCase) || knob.StartsWith("ReadyToRun", StringComparison.OrdinalIgnoreCase)))
            .Order(StringComparer.Ordinal)];

    private async Task UpAsync(int jobs, int silosPerNation, bool log, bool? telemetry, TextWriter output, CancellationToken cancellationToken)
    {
        var extra = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal) { ["*"] = ArgumentsOf(log) };
        foreach (var code in new[] { "FR", "DE", "SE" })
        {
            extra[code] = [.. TelemetryArguments(telemetry, code, _directory).Split(' ', StringSplitOptions.RemoveEmptyEntries),
                .. JobsRoot is null ? [] : new[] { $"--Federation:Executor:WorkRoot={Path.Combine(JobsRoot, code)}" }];
        }

        _launcher = new LocalFederation(_directory, _launcherOutput, _launcherError)
        {
            DatabasePrefix = _prefix,
            ExtraArguments = extra,
        };
        var silo = Path.Combine(AppContext.BaseDirectory, "Federation.Silo.dll");
        State = await _launcher.UpAsync(["FR", "DE", "SE"], silo, PostgresTestDatabase.ServerConnectionString, TimeSpan.FromSeconds(2), cancellationToken);
        foreach (var nation in State.Nations)
        {
            _silos.Add(new ThroughputSilo(nation.Code, nation.Code, nation.Pid, nation.ApiUrl, nation.Log));
        }

        for (var n = 2; n <= silosPerNation; n++)
        {
            foreach (var nation in State.Nations)
            {
                var added = await _launcher.AddSiloAsync(nation.Code, cancellationToken);
                _silos.Add(new ThroughputSilo(nation.Code, $"{nation.Code}#{n}", added.Pid, added.ApiUrl, added.Log));
            }
        }

        foreach (var started in _silos)
        {
            var client = new HttpClient { BaseAddress = new Uri(started.ApiUrl + "/"), Timeout = TimeSpan.FromMinutes(5) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", $"local-{started.Nation.ToLowerInvariant()}-admin-token");
            _clients[started.Label] = client;
            output.WriteLine($"  {started.Label,-11} pid {started.Pid}, {started.ApiUrl}, database {State.Nations.Single(n => n.Code == started.Nation).Database}");
        }

        var fr = Client("FR");
        var (location, size, sha256) = await WriteDatasetFileAsync(cancellationToken);
        var dataset = new JsonObject
        {
            ["id"] = Dataset.Split('/')[1],
            ["title"] = "Throughput benchmark cohort",
            ["location"] = location,
            ["sizeBytes"] = size,
            ["sha256"] = sha256,
            ["format"] = "csv",
            ["licence"] = "CC-BY-4.0",
            ["steward"] = "FR data office",
            ["visibility"] = "public",
            ["residency"] = new JsonObject { ["kind"] = "homeOnly" },
            ["dataUse"] = new JsonObject { ["permission"] = "GRU" },
        };
        await ExpectAsync(await fr.PostAsJsonAsync("api/v1/datasets", dataset, cancellationToken), "FR: register the dataset");

        // Every job holds one accelerator for an hour: enough of them that none waits.
        var nodes = (jobs + 100 + AcceleratorsPerNode - 1) / AcceleratorsPerNode;
        for (var i = 0; i < nodes; i++)
        {
            var id = $"gpu-tp-{i:D2}";
            var node = new JsonObject { ["id"] = id, ["site"] = "lab", ["accelerator"] = "a100-80gb-sxm", ["count"] = AcceleratorsPerNode, ["leaseSeconds"] = 3600 };
            await ExpectAsync(await fr.PostAsJsonAsync("api/v1/nodes", node, cancellationToken), $"FR: register node {id}");
            await ExpectAsync(await fr.PostAsJsonAsync($"api/v1/nodes/{id}/heartbeat", new JsonObject(), cancellationToken), $"FR: heartbeat of node {id}");
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  FR          dataset {Dataset} (home-only, GRU, {size:N0} bytes at {location}), {nodes} nodes x {AcceleratorsPerNode} a100-80gb-sxm = {nodes * AcceleratorsPerNode:N0} accelerators"));

        // DE routes by FR's advert: wait until it shows them.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var peers = await Client("DE").GetFromJsonAsync<JsonArray>("api/v1/peers", cancellationToken);
            var frPeer = peers!.OfType<JsonObject>().FirstOrDefault(p => p["nation"]?.GetValue<string>() == "FR");
            var free = frPeer?["lastAdvert"]?["accelerators"]?.AsArray().Where(a => a!["slug"]!.GetValue<string>() == "a100-80gb-sxm").Sum(a => a!["free"]!.GetValue<int>()) ?? 0;
            if (frPeer?["health"]?.GetValue<string>() == "reachable" && free >= jobs)
            {
                break;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"DE did not see FR reachable with {jobs} free accelerators within 60 s (last: {frPeer?.ToJsonString() ?? "no FR peer"}){Diagnostics()}");
            }

            await Task.Delay(250, cancellationToken);
        }
    }

    /// <summary>
    /// Writes the dataset's file under FR's first data root, as a demo nation writes its demo files, so
    /// that FR's executor stages it (links it into each job's directory) as it would a real dataset.
    /// </summary>
    private async Task<(string Location, long Size, string Sha256)> WriteDatasetFileAsync(CancellationToken cancellationToken)
    {
        const string rootArgument = "--Federation:Data:Roots:0=";
        var root = State.Nations.Single(n => n.Code == "FR").Arguments.FirstOrDefault(a => a.StartsWith(rootArgument, StringComparison.Ordinal))?[rootArgument.Length..]
            ?? throw new InvalidOperationException($"the launcher gave FR no data root ({rootArgument}...){Diagnostics()}");
        var folder = Path.Combine(root, "benchmark");
        Directory.CreateDirectory(folder);
        var text = new StringBuilder("participant,cohort,measure\n");
        for (var i = 0; text.Length < 64 * 1024; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"p{i:D6},{i % 7},{(i * 37) % 1000}\n");
        }

        var content = Encoding.UTF8.GetBytes(text.ToString());
        var path = Path.Combine(folder, "throughput-cohort.csv");
        await File.WriteAllBytesAsync(path, content, cancellationToken);
        return (new Uri(path).AbsoluteUri, content.Length, Convert.ToHexStringLower(SHA256.HashData(content)));
    }

    /// <summary>A client of <paramref name="code"/>'s user API (its first silo) with its operator token.</summary>
    public HttpClient Client(string code) => _clients[code];

    /// <summary>A client of <paramref name="silo"/>'s user API with its nation's operator token.</summary>
    public HttpClient ClientOf(ThroughputSilo silo) => _clients[silo.Label];

    /// <summary>A client of every silo of <paramref name="code"/>, with its operator token.</summary>
    public IReadOnlyList<HttpClient> Clients(string code) => [.. _silos.Where(s => s.Nation == code).Select(s => _clients[s.Label])];

    /// <summary>
    /// A connection string to <paramref name="code"/>'s database, for the benchmark's own queries: its connections carry
    /// <see cref="ThroughputDatabase.ObserverName"/>, so that their backends' CPU is told apart from the silos'.
    /// </summary>
    public string Database(string code) =>
        new NpgsqlConnectionStringBuilder(PostgresTestDatabase.ServerConnectionString) { Database = $"{_prefix}_{code.ToLowerInvariant()}", MaxPoolSize = 4, ApplicationName = ThroughputDatabase.ObserverName }.ConnectionString;

    /// <summary>What <paramref name="silo"/> has logged so far.</summary>
    public static string Log(ThroughputSilo silo)
    {
        using var stream = new FileStream(silo.Log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Lines in the nations' span files (<see cref="TelemetryArguments"/>) so far; 0 when there are none.</summary>
    public long SpanLines()
    {
        long lines = 0;
        foreach (var file in Directory.EnumerateFiles(_directory, "spans-*.jsonl"))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = stream.Read(buffer)) > 0)
            {
                lines += buffer.AsSpan(0, read).Count((byte)'\n');
            }
        }

        return lines;
    }

    /// <summary>The launcher's output and the end of every silo log.</summary>
    public string Diagnostics()
    {
        var text = new StringBuilder($"{Environment.NewLine}launcher: {_launcherOutput}{_launcherError}");
        foreach (var log in Directory.EnumerateFiles(_directory, "*.log", SearchOption.AllDirectories))
        {
            using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var lines = reader.ReadToEnd().Split('\n');
            text.AppendLine().Append(Path.GetRelativePath(_directory, log)).AppendLine(":").AppendJoin('\n', lines.TakeLast(20));
        }

        return text.ToString();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }

        foreach (var silo in _silos.Where(s => s.Label != s.Nation))
        {
            LocalFederation.Kill(silo.Pid);
        }

        if (_launcher is not null)
        {
            await _launcher.DownAsync();
        }

        var admin = new NpgsqlConnectionStringBuilder(PostgresTestDatabase.ServerConnectionString) { Database = "postgres", Pooling = false };
        await using (var connection = new NpgsqlConnection(admin.ConnectionString))
        {
            await connection.OpenAsync();
            foreach (var code in new[] { "fr", "de", "se" })
            {
                try
                {
                    await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_prefix}_{code}\" WITH (FORCE)", connection);
                    await drop.ExecuteNonQueryAsync();
                }
                catch (PostgresException e)
                {
                    // Keep cleaning up the rest; say what is left behind.
                    await Console.Error.WriteLineAsync($"could not drop database {_prefix}_{code}: {e.MessageText}; drop it by hand");
                }
            }
        }

        _launcherOutput.Dispose();
        _launcherError.Dispose();
        Directory.Delete(_directory, recursive: true);
        if (JobsRoot is not null && Directory.Exists(JobsRoot))
        {
            Directory.Delete(JobsRoot, recursive: true);
        }
    }

    private async Task ExpectAsync(HttpResponseMessage response, string what)
    {
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"{what}: HTTP {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}{Diagnostics()}");
            }
        }
    }
}
