using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Execution;
using Federation.Grains;
using Federation.Grains.Jobs;
using Federation.Protocol;
using Federation.Protocol.Roster;
using Federation.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Federation.EndToEnd.Tests;

/// <summary>
/// FR and DE as real silos in this process, each on its own PostgreSQL database (dropped at the end),
/// mutual TLS between them over one roster, and a directory for dataset files and job directories.
/// For staging and for the logs and outputs of jobs: datasets whose location is a file written
/// here, and runs (job directory, execution record in the executing nation, job record in the
/// origin) put in place as an executor would leave them.
/// </summary>
public sealed class StagingNations : IAsyncLifetime
{
    /// <summary>The operator token of both nations.</summary>
    public const string Token = "staging-test-admin-token-0123456789";

    private PostgresTestDatabase? _frDatabase;
    private PostgresTestDatabase? _deDatabase;

    /// <summary>FR.</summary>
    public NationUnderTest Fr { get; private set; } = null!;

    /// <summary>DE.</summary>
    public NationUnderTest De { get; private set; } = null!;

    /// <summary>The test's directory: roster, certificates, dataset files (<c>data/</c>) and job directories (<c>jobs/</c>).</summary>
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("staging-test-").FullName;

    /// <summary>Where job directories go.</summary>
    public string JobsRoot => Path.Combine(Directory, "jobs");

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        var rosterPath = Path.Combine(Directory, "roster.json");
        using var frCertificate = NationCertificates.Create("FR");
        using var deCertificate = NationCertificates.Create("DE");
        var (frPin, dePin) = (SpkiPin.Compute(frCertificate), SpkiPin.Compute(deCertificate));
        TwoNations.WriteRoster(rosterPath, new RosterDocument([TwoNations.Entry("FR", "https://127.0.0.1:1", frPin), TwoNations.Entry("DE", "https://127.0.0.1:1", dePin)]));
        _frDatabase = await PostgresTestDatabase.CreateAsync("stagingfr");
        _deDatabase = await PostgresTestDatabase.CreateAsync("stagingde");
        Fr = await NationUnderTest.StartAsync("FR", frCertificate, Directory, rosterPath, Configured(_frDatabase));
        De = await NationUnderTest.StartAsync("DE", deCertificate, Directory, rosterPath, Configured(_deDatabase));
        TwoNations.WriteRoster(rosterPath, new RosterDocument([TwoNations.Entry("FR", Fr.FederationUrl, frPin), TwoNations.Entry("DE", De.FederationUrl, dePin)]));
        foreach (var nation in new[] { Fr, De })
        {
            await Eventually.WaitAsync(() => Task.FromResult(nation.Roster), r => r.Find("FR")?.FederationEndpoint == Fr.FederationUrl && r.Find("DE")?.FederationEndpoint == De.FederationUrl,
                TimeSpan.FromSeconds(10), $"{nation.Code}'s roster to name both nations' bound federation URLs");
        }

        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "data"));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Fr is not null)
        {
            await Fr.DisposeAsync();
        }

        if (De is not null)
        {
            await De.DisposeAsync();
        }

        foreach (var database in new[] { _frDatabase, _deDatabase })
        {
            if (database is not null)
            {
                await database.DisposeAsync();
            }
        }

        System.IO.Directory.Delete(Directory, recursive: true);
    }

    /// <summary>The nation <paramref name="code"/>.</summary>
    public NationUnderTest Nation(string code) => code == "FR" ? Fr : De;

    /// <summary>A client of <paramref name="code"/>'s user API with the operator token.</summary>
    public HttpClient Api(string code)
    {
        var client = new HttpClient { BaseAddress = new Uri(Nation(code).ApiUrl + "/"), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return client;
    }

    /// <summary>A client of <paramref name="to"/>'s federation API with <paramref name="from"/>'s certificate (mutual TLS).</summary>
    public HttpClient Peer(string from, string to) => Nation(from).Peers.CreateClient(Nation(from).Roster.Find(to)!);

    /// <summary>Writes <paramref name="bytes"/> to a file of the test's data directory; returns its path.</summary>
    public string WriteData(string name, byte[] bytes)
    {
        var path = Path.Combine(Directory, "data", name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>
    /// Registers public dataset <paramref name="reference"/> in its home with <paramref name="residency"/>
    /// (homeOnly, anywhere), at <paramref name="location"/> (a file path, or a URI), with the size and
    /// sha256 of <paramref name="bytes"/>.
    /// </summary>
    public async Task RegisterAsync(string reference, string residency, string location, byte[] bytes)
    {
        var (nation, id) = (reference.Split('/')[0], reference.Split('/')[1]);
        var body = FederationFixtures.DatasetBody(reference, bytes.Length, new JsonObject { ["kind"] = residency }, new JsonObject { ["permission"] = "GRU" });
        body["location"] = location.Contains("://", StringComparison.Ordinal) ? location : new Uri(location).AbsoluteUri;
        body["sha256"] = Convert.ToHexStringLower(SHA256.HashData(bytes));
        body["id"] = id;
        using var api = Api(nation);
        using var response = await api.PostAsJsonAsync("api/v1/datasets", body, TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"registering {reference}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
    }

    /// <summary>A job spec of <paramref name="job"/> reading <paramref name="inputs"/>.</summary>
    public static JobSpec Spec(JobRef job, params string[] inputs) => new()
    {
        Id = job.Id,
        Owner = new JobOwner("alice@example.org", "onco-eu"),
        Inputs = [.. inputs.Select(TypedId.Parse<DatasetRef>)],
        Purpose = new JobPurpose { Use = ResearchCategory.General },
        Accelerators = new AcceleratorRequest { Count = 1 },
        Work = WorkEstimate.Hours(1, TypedId.Parse<AcceleratorSlug>("a100-80gb-sxm")),
        Walltime = TimeSpan.FromHours(1),
        Workload = new WorkloadCall { Name = "demo-train", Version = "1.0" },
    };

    /// <summary>
    /// A finished run of epoch 1 of <paramref name="job"/> in <paramref name="executing"/>: its job directory
    /// (logs, outputs), the execution record pointing at it there, and the job record in the job's origin
    /// naming the executing nation. Returns the job directory.
    /// </summary>
    public async Task<JobDirectory> SeedRunAsync(string executing, JobRef job, JobSpec spec, string stdout, IReadOnlyDictionary<string, byte[]> outputs)
    {
        var directory = JobDirectory.For(JobsRoot, job, 1);
        System.IO.Directory.CreateDirectory(directory.Outputs);
        await File.WriteAllTextAsync(directory.Stdout, stdout, TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(directory.Stderr, "", TestContext.Current.CancellationToken);
        foreach (var (name, bytes) in outputs)
        {
            var path = Path.Combine(directory.Outputs, name);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, bytes, TestContext.Current.CancellationToken);
        }

        var now = DateTimeOffset.UtcNow;
        var nation = TypedId.Parse<NationCode>(executing);
        var execution = new ExecutionRecord
        {
            Job = job,
            Epoch = 1,
            Spec = spec,
            Admission = new Admission(nation, 1, true, "admitted", 30),
            State = JobState.Succeeded,
            StateReason = "finished with exit code 0",
            StartedAt = now.AddMinutes(-1),
            FinishedAt = now,
            Progress = 1,
            Version = 5,
            Run = new ExecutionRun { Executor = "process", Pool = "default", Handle = "4242", Directory = directory.Path },
        };
        await Storage(executing).WriteStateAsync("execution", GrainId.Create("execution", IExecutionGrain.KeyOf(job, 1)),
            new GrainState<ExecutionGrainState> { State = new ExecutionGrainState { Record = execution } });
        var record = new JobRecord
        {
            Ref = job,
            Spec = spec,
            State = JobState.Succeeded,
            StateReason = $"finished in {executing} with exit code 0",
            Epoch = 1,
            Nation = nation,
            SubmittedAt = now.AddMinutes(-3),
            UpdatedAt = now,
            FinishedAt = now,
            Version = 7,
        };
        await Storage(job.Origin.Value).WriteStateAsync("job", GrainId.Create("job", IJobGrain.KeyOf(job)),
            new GrainState<JobGrainState> { State = new JobGrainState { Record = record } });
        return directory;
    }

    private IGrainStorage Storage(string code) => Nation(code).Services.GetRequiredKeyedService<IGrainStorage>(GrainStorageNames.Jobs);

    private Dictionary<string, string?> Configured(PostgresTestDatabase database) => new()
    {
        ["Federation:Data:Roots:0"] = Path.Combine(Directory, "data"),
        ["Federation:Postgres:ConnectionString"] = database.ConnectionString,
        ["Federation:Postgres:MigrateOnStart"] = "true",
        ["Federation:Auth:AdminTokens:0"] = Token,
    };
}
