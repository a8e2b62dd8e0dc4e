using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Federation.Fedctl.Local;
using Federation.Protocol.Roster;
using Federation.Testing;

namespace Federation.EndToEnd.Tests;

/// <summary>
/// FR, DE and SE as real silo processes on PostgreSQL (one database each), mutual TLS over
/// loopback, short leases and a fast simulated executor, for the cross-border job scenarios.
/// </summary>
public sealed class JobFederation : IAsyncDisposable
{
    /// <summary>How often the nations push adverts.</summary>
    public static readonly TimeSpan AdvertInterval = TimeSpan.FromSeconds(1);

    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();
    private readonly Dictionary<string, HttpClient> _clients = new(StringComparer.Ordinal);
    private readonly List<int> _extraSilos = [];
    private LocalFederation _launcher = null!;
    private string _directory = null!;
    private string _prefix = "";

    private JobFederation()
    {
    }

    /// <summary>What the launcher started.</summary>
    public LocalFederationState State { get; private set; } = null!;

    /// <summary>The launcher, to stop, kill, restart nations or add silos.</summary>
    public LocalFederation Launcher => _launcher;

    /// <summary>
    /// Starts the nations (FR, DE and SE unless <paramref name="nations"/> names fewer) with <paramref name="extra"/>
    /// configuration (by nation code, <c>*</c> for all) on top of the job timings every scenario uses, and the accelerators given.
    /// </summary>
    public static async Task<JobFederation> StartAsync(
        IReadOnlyDictionary<string, (string Node, string Slug, int Count)[]> accelerators,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? extra = null,
        IReadOnlyList<string>? nations = null)
    {
        var ct = TestContext.Current.CancellationToken;
        var federation = new JobFederation { _directory = Directory.CreateTempSubdirectory("jobs-").FullName };

        // Job directories live below it: workloads run as an unprivileged account and must reach them.
        File.SetUnixFileMode(federation._directory, (UnixFileMode)0b111_101_101);
        var arguments = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (key, values) in extra ?? new Dictionary<string, IReadOnlyList<string>>())
        {
            arguments[key] = values;
        }

        arguments["*"] = [.. Defaults, .. arguments.GetValueOrDefault("*") ?? []];
        federation._prefix = $"jobtest_{Guid.NewGuid():N}"[..20];
        federation._launcher = new LocalFederation(federation._directory, federation._output, federation._error) { ExtraArguments = arguments, DatabasePrefix = federation._prefix };
        var silo = Path.Combine(AppContext.BaseDirectory, "Federation.Silo.dll");
        try
        {
            federation.State = await federation._launcher.UpAsync(nations ?? ["FR", "DE", "SE"], silo, PostgresTestDatabase.ServerConnectionString, AdvertInterval, ct);
            foreach (var nation in federation.State.Nations)
            {
                federation._clients[nation.Code] = Client(nation.ApiUrl, nation.Code);
            }

            foreach (var (code, nodes) in accelerators)
            {
                foreach (var (node, slug, count) in nodes)
                {
                    var spec = new JsonObject { ["id"] = node, ["site"] = "lab", ["accelerator"] = slug, ["count"] = count, ["leaseSeconds"] = 3600 };
                    await federation.ExpectAsync(await federation.Client(code).PostAsJsonAsync("api/v1/nodes", spec, ct), HttpStatusCode.Created);
                    await federation.ExpectAsync(await federation.Client(code).PostAsJsonAsync($"api/v1/nodes/{node}/heartbeat", new JsonObject(), ct), HttpStatusCode.OK);
                }
            }

            foreach (var observer in federation.State.Nations)
            {
                foreach (var (subject, nodes) in accelerators.Where(a => a.Key != observer.Code))
                {
                    await Eventually.WaitAsync(
                        () => federation.PeerAsync(observer.Code, subject),
                        p => p?["health"]?.GetValue<string>() == "reachable"
                            && nodes.All(n => p["lastAdvert"]?["accelerators"]?.AsArray().Any(a => a!["slug"]!.GetValue<string>() == n.Slug && a["free"]!.GetValue<int>() >= n.Count) == true),
                        TimeSpan.FromSeconds(60),
                        $"{observer.Code} to see {subject} reachable with its accelerators free{federation.Diagnostics()}",
                        TimeSpan.FromMilliseconds(250));
                }
            }
        }
        catch
        {
            await federation.DisposeAsync();
            throw;
        }

        return federation;
    }

    /// <summary>
    /// Lease 8 s, grace 4 s, margin 2 s; pending jobs re-planned every second; one estimated hour runs
    /// in 8 s; no demo catalogue (each scenario registers the accelerators and data it needs).
    /// </summary>
    public static IReadOnlyList<string> Defaults { get; } =
    [
        "--Federation:SeedDemoCatalogue=false",
        "--Federation:Jobs:LeaseSeconds=8",
        "--Federation:Jobs:GraceSeconds=4",
        "--Federation:Jobs:MarginSeconds=2",
        "--Federation:Jobs:ReplanSeconds=1",
        "--Federation:Executor:SecondsPerEstimatedHour=8",
        "--Federation:Executor:ProgressSeconds=1",
        "--Federation:Membership:ProbeTimeout=00:00:01",
        "--Federation:Membership:MissedProbesLimit=2",
    ];

    /// <summary>The name of <paramref name="code"/>'s database (the launcher made one per nation).</summary>
    public string DatabaseName(string code) => $"{_prefix}_{code.ToLowerInvariant()}";

    /// <summary>The connection string of <paramref name="code"/>'s database (the launcher made one per nation).</summary>
    public string DatabaseConnectionString(string code) =>
        new Npgsql.NpgsqlConnectionStringBuilder(PostgresTestDatabase.ServerConnectionString) { Database = $"{_prefix}_{code.ToLowerInvariant()}" }.ConnectionString;

    /// <summary>A client of <paramref name="code"/>'s user API with its operator token.</summary>
    public HttpClient Client(string code) => _clients[code];

    /// <summary>The nation <paramref name="code"/> as last recorded by the launcher.</summary>
    public LocalNationState Nation(string code) => LocalFederationState.Read(_launcher.StatePath)!.Nations.Single(n => n.Code == code);

    /// <summary>Points the roster's federation endpoint of <paramref name="code"/> at <paramref name="silo"/>, as a load balancer in front of the nation's silos would move.</summary>
    public async Task MoveFederationEndpointAsync(string code, LocalNationState silo)
    {
        var ct = TestContext.Current.CancellationToken;
        var roster = RosterDocument.Parse(await File.ReadAllTextAsync(State.Roster, ct));
        var moved = new RosterDocument([.. roster.Nations.Select(n => n.Code == code ? n with { FederationEndpoint = silo.FederationUrl[..^"federation/v1".Length] } : n)]);
        await File.WriteAllTextAsync(State.Roster, moved.ToJson(), ct);
    }

    /// <summary>Starts another silo of <paramref name="code"/> (same database); killed on dispose.</summary>
    public async Task<LocalNationState> AddSiloAsync(string code)
    {
        var silo = await _launcher.AddSiloAsync(code, TestContext.Current.CancellationToken);
        _extraSilos.Add(silo.Pid);
        return silo;
    }

    /// <summary>A client of a silo's user API with <paramref name="code"/>'s operator token.</summary>
    public static HttpClient Client(string apiUrl, string code)
    {
        var client = new HttpClient { BaseAddress = new Uri(apiUrl + "/"), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", $"local-{code.ToLowerInvariant()}-admin-token");
        return client;
    }

    /// <summary>Registers a public dataset in its home nation.</summary>
    public async Task RegisterDatasetAsync(string reference, long sizeBytes, string residency, JsonObject dataUse)
    {
        var nation = reference.Split('/')[0];
        var dataset = FederationFixtures.DatasetBody(reference, sizeBytes, new JsonObject { ["kind"] = residency }, dataUse);
        await ExpectAsync(await Client(nation).PostAsJsonAsync("api/v1/datasets", dataset, TestContext.Current.CancellationToken), HttpStatusCode.Created);
    }

    /// <summary>A job that runs <paramref name="estimatedHours"/> on <paramref name="count"/> A100 (80 GB) accelerators, with a walltime of a day.</summary>
    public static JsonObject Job(string id, string input, string use = "HMB", double estimatedHours = 1, int count = 1, JsonObject? arguments = null) => new()
    {
        ["id"] = id,
        ["owner"] = new JsonObject { ["user"] = "alice@example.org", ["consortium"] = "onco-eu" },
        ["inputs"] = new JsonArray(input),
        ["purpose"] = new JsonObject { ["use"] = use },
        ["accelerators"] = new JsonObject { ["count"] = count },
        ["work"] = new JsonObject { ["acceleratorHours"] = estimatedHours * count, ["referenceAccelerator"] = "a100-80gb-sxm" },
        ["walltimeMinutes"] = 1440,
        ["workload"] = new JsonObject { ["name"] = "demo-train", ["version"] = "1.0", ["arguments"] = arguments ?? new JsonObject() },
    };

    /// <summary>Submits <paramref name="job"/> in <paramref name="origin"/>.</summary>
    public async Task<JsonObject> SubmitAsync(string origin, JsonObject job) =>
        (JsonObject)await ExpectAsync(await Client(origin).PostAsJsonAsync("api/v1/jobs", job, TestContext.Current.CancellationToken), HttpStatusCode.Created);

    /// <summary>The job's record in its origin.</summary>
    public async Task<JsonObject> JobAsync(string origin, string id) =>
        (await Client(origin).GetFromJsonAsync<JsonObject>($"api/v1/jobs/{id}", TestContext.Current.CancellationToken))!;

    /// <summary>The execution of one epoch in the nation that was offered it, or null.</summary>
    public async Task<JsonObject?> ExecutionAsync(string nation, string job, int epoch)
    {
        using var response = await Client(nation).GetAsync($"api/v1/executions/{job}/{epoch}", TestContext.Current.CancellationToken);
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken) : null;
    }

    /// <summary>Waits until the job's record satisfies <paramref name="accept"/>.</summary>
    public Task<JsonObject> WaitJobAsync(string origin, string id, Func<JsonObject, bool> accept, TimeSpan timeout, string expectation) =>
        Eventually.WaitAsync(() => JobAsync(origin, id), accept, timeout, $"{expectation}{Diagnostics()}", TimeSpan.FromMilliseconds(250));

    /// <summary>Reads the job's server-sent events from the start until the job finishes (or the timeout).</summary>
    public async Task<List<JsonObject>> WatchAsync(string origin, string id, TimeSpan timeout)
    {
        using var client = Client(Nation(origin).ApiUrl, origin);
        client.Timeout = Timeout.InfiniteTimeSpan;
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cancel.CancelAfter(timeout);
        var events = new List<JsonObject>();
        try
        {
            using var response = await client.GetAsync($"api/v1/jobs/{id}/events", HttpCompletionOption.ResponseHeadersRead, cancel.Token);
            response.EnsureSuccessStatusCode();
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));
            while (await reader.ReadLineAsync(cancel.Token) is { } line)
            {
                if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    events.Add(JsonNode.Parse(line["data: ".Length..])!.AsObject());
                }
            }
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            Assert.Fail($"the events of {origin}/{id} did not end with a finished state within {timeout.TotalSeconds:0} s; got: {string.Join(" | ", events.Select(e => $"{e["state"]}: {e["message"]}"))}{Diagnostics()}");
        }

        return events;
    }

    /// <summary>What <paramref name="observer"/> knows of <paramref name="subject"/>.</summary>
    public Task<JsonObject?> PeerAsync(string observer, string subject) => FederationFixtures.PeerAsync(Client(observer), subject);

    /// <summary>The launcher's output and the end of every silo log, for failure messages.</summary>
    public string Diagnostics()
    {
        var logs = new StringBuilder($"{Environment.NewLine}launcher: {_output}{_error}");
        foreach (var log in Directory.EnumerateFiles(_directory, "*.log", SearchOption.AllDirectories))
        {
            logs.AppendLine().Append(Path.GetRelativePath(_directory, log)).Append(':').AppendLine();
            try
            {
                logs.AppendJoin(Environment.NewLine, ReadShared(log).TakeLast(25));
            }
            catch (IOException e)
            {
                logs.Append(e.Message);
            }
        }

        return logs.ToString();
    }

    /// <summary>The lines of a silo log that another process is still writing.</summary>
    public static IEnumerable<string> ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            lines.Add(line);
        }

        return lines;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var pid in _extraSilos)
        {
            LocalFederation.Kill(pid);
        }

        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }

        if (_launcher is not null)
        {
            await _launcher.DownAsync();
            await DropDatabasesAsync();
        }

        _output.Dispose();
        _error.Dispose();
        if (Environment.GetEnvironmentVariable("FEDERATION_KEEP_TEST_DIRECTORIES") != "1")
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private async Task DropDatabasesAsync()
    {
        foreach (var code in new[] { "fr", "de", "se" })
        {
            await PostgresTestDatabase.DropAsync($"{_prefix}_{code}");
        }
    }

    private async Task<JsonNode> ExpectAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == status, $"expected {(int)status} from {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}, got {(int)response.StatusCode}: {body}{Diagnostics()}");
            return body.Length == 0 ? new JsonObject() : JsonNode.Parse(body)!;
        }
    }

    /// <summary>Time since <paramref name="since"/>, for the test output.</summary>
    public static string Elapsed(Stopwatch since) => $"{since.Elapsed.TotalSeconds:0.0} s";
}
