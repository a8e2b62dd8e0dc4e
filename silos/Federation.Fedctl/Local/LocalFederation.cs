using Federation.Contracts.Ids;
using Federation.Fedctl.Connection;
using Federation.Fedctl.Output;
using Federation.Protocol;
using Federation.Protocol.Roster;
using Npgsql;

namespace Federation.Fedctl.Local;

/// <summary>
/// Starts several nations on this machine as separate silo processes from the built assemblies:
/// free ports, a certificate per nation, one roster, in memory or one PostgreSQL database per
/// nation; records what it started in a state file that <c>down</c> and tests read.
/// </summary>
public sealed partial class LocalFederation(string directory, TextWriter output, TextWriter error)
{
    private readonly string _directory = Path.GetFullPath(directory);

    private static readonly TimeSpan s_readyTimeout = TimeSpan.FromSeconds(90);

    /// <summary>The state file.</summary>
    public string StatePath => Path.Combine(_directory, "state.json");

    /// <summary>
    /// More configuration for the silos, as <c>--Key=Value</c> arguments, by nation code (<c>*</c>:
    /// every nation); e.g. a shorter lease or an admission rule for a test.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ExtraArguments { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>
    /// With PostgreSQL, each nation's database is <c>&lt;prefix&gt;_&lt;code&gt;</c> (dropped and created
    /// by <c>up</c>); a distinct prefix lets several local federations share one server.
    /// </summary>
    public string DatabasePrefix { get; init; } = "federation";

    /// <summary>
    /// The prefix of an installed training workload (workloads/install-training.sh), or null: every nation
    /// allow-lists its <c>train.sh</c> as <see cref="LocalTraining.Workload"/> and gets <see cref="TrainingRows"/>
    /// rows of <c>patient-outcomes</c> from its <c>generate</c> verb (<see cref="LocalTraining"/>).
    /// </summary>
    public string? TrainingPrefix { get; init; }

    /// <summary>Rows of each nation's generated <c>patient-outcomes</c> with <see cref="TrainingPrefix"/>; default 2000.</summary>
    public int TrainingRows { get; init; } = 2000;

    /// <summary>
    /// The workloads every launched nation offers unless others are given: enough to plan jobs on
    /// a local federation out of the box (<c>fedctl plan</c>).
    /// </summary>
    public static IReadOnlyList<string> DefaultWorkloads { get; } = ["demo-train@1.0", "demo-eval@1.0"];

    /// <summary>Starts the nations, each offering <see cref="DefaultWorkloads"/>; returns the state written.</summary>
    public Task<LocalFederationState> UpAsync(IReadOnlyList<string> codes, string siloDll, string? postgres, TimeSpan advertInterval, CancellationToken cancellationToken) =>
        UpAsync(codes, siloDll, postgres, advertInterval, workloads: null, cancellationToken);

    /// <summary>
    /// Starts the nations, each offering <paramref name="workloads"/> (<c>name@version</c>; null or
    /// empty: <see cref="DefaultWorkloads"/>); returns the state written.
    /// </summary>
    public async Task<LocalFederationState> UpAsync(IReadOnlyList<string> codes, string siloDll, string? postgres, TimeSpan advertInterval, IReadOnlyList<string>? workloads, CancellationToken cancellationToken)
    {
        var offered = CheckWorkloads(workloads is { Count: > 0 } ? workloads : DefaultWorkloads);
        if (LocalFederationState.Read(StatePath) is { } existing && existing.Nations.Any(n => IsOurSilo(n.Pid)))
        {
            throw new FedctlException($"a local federation is already running ({string.Join(", ", existing.Nations.Select(n => n.Code))}); run 'down' first", ExitCodes.Conflict);
        }

        var nations = codes.Select(c => NationCode.TryParse(c.ToUpperInvariant(), out var code, out var problem)
            ? code
            : throw new FedctlException(problem, ExitCodes.Usage)).Distinct().ToList();
        if (nations.Count == 0)
        {
            throw new FedctlException("name at least one nation, such as: up FR DE SE", ExitCodes.Usage);
        }

        if (!File.Exists(siloDll))
        {
            throw new FedctlException($"the silo is not built at {siloDll}; run 'dotnet build -c Release silos/Federation.Silo' first (infra/local/federation up does)", ExitCodes.Usage);
        }

        Directory.CreateDirectory(_directory);
        var ports = FreePorts(nations.Count * 4);
        var plans = nations.Select((code, i) => new Plan(code, ports[i * 4], ports[(i * 4) + 1], ports[(i * 4) + 2], ports[(i * 4) + 3], Path.Combine(_directory, code.Value))).ToList();
        var entries = new List<RosterEntry>();
        foreach (var plan in plans)
        {
            Directory.CreateDirectory(plan.Directory);
            using var certificate = NationCertificates.Create(plan.Code.Value);
            await File.WriteAllBytesAsync(plan.Certificate, certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pkcs12), cancellationToken);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(plan.Certificate, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            entries.Add(new RosterEntry(plan.Code.Value, plan.Code.Value, $"https://127.0.0.1:{plan.FederationPort}/", ProtocolVersions.Supported, [SpkiPin.Compute(certificate)]));
        }

        var rosterPath = Path.Combine(_directory, "roster.json");
        await File.WriteAllTextAsync(rosterPath, new RosterDocument(entries).ToJson(), cancellationToken);
        IReadOnlyList<string> training = [];
        if (TrainingPrefix is not null)
        {
            if (TrainingRows is < 1 or > 1_000_000)
            {
                throw new FedctlException($"--training-rows must be 1 to 1000000, not {TrainingRows}", ExitCodes.Usage);
            }

            var script = LocalTraining.Script(TrainingPrefix);
            training = LocalTraining.AllowList(script);
            foreach (var plan in plans)
            {
                await LocalTraining.GenerateAsync(script, plan.Code.Value, TrainingRows, Path.Combine(plan.Directory, "data"), cancellationToken);
                await error.WriteLineAsync($"generated {TrainingRows} rows of {plan.Code}'s patient-outcomes with {script}");
            }
        }

        var started = new List<LocalNationState>();
        try
        {
            foreach (var plan in plans)
            {
                var database = postgres is null ? null : await CreateDatabaseAsync(postgres, $"{DatabasePrefix}_{plan.Code.Value.ToLowerInvariant()}", cancellationToken);
                started.Add(Start(plan, siloDll, rosterPath, database, advertInterval, offered, training));
                await error.WriteLineAsync($"started {plan.Code} (pid {started[^1].Pid})");
            }

            var progress = new Progress(error, "ready", started.Count);
            await Task.WhenAll(started.Select(async nation =>
            {
                await WaitReadyAsync(nation, cancellationToken);
                progress.Advance();
            }));
        }
        catch
        {
            foreach (var nation in started)
            {
                Stop(nation.Pid);
            }

            throw;
        }

        var state = new LocalFederationState(DateTimeOffset.UtcNow, rosterPath, started);
        state.Write(StatePath);
        PrintTable(state);
        await error.WriteLineAsync($"every nation offers the workloads {string.Join(", ", offered)}; plan a job with 'fedctl plan job.json --url <api>'");
        if (TrainingPrefix is not null)
        {
            await error.WriteLineAsync($"every nation allow-lists {LocalTraining.Workload} ({LocalTraining.Script(TrainingPrefix)}) and holds {TrainingRows} generated rows of patient-outcomes");
        }
        if (postgres is not null)
        {
            await error.WriteLineAsync("PostgreSQL mode: writes need each nation's operator token: "
                + string.Join(", ", started.Select(n => $"{n.Code}=local-{n.Code.ToLowerInvariant()}-admin-token")));
        }

        return state;
    }

    /// <summary>Stops exactly the processes of the state file and removes it.</summary>
    public async Task<int> DownAsync()
    {
        var state = LocalFederationState.Read(StatePath);
        if (state is null)
        {
            await error.WriteLineAsync($"no local federation recorded in {StatePath}; nothing to stop");
            return ExitCodes.Ok;
        }

        foreach (var nation in state.Nations)
        {
            var stopped = Stop(nation.Pid);
            await output.WriteLineAsync($"{nation.Code}: {(stopped ? "stopped" : "was not running")} (pid {nation.Pid})");
        }

        File.Delete(StatePath);
        return ExitCodes.Ok;
    }

    /// <summary>Stops one nation of the running federation (the others keep running).</summary>
    public Task<int> StopNationAsync(string code) => EndNationAsync(code, Stop, "stopped");

    /// <summary>Kills one nation's silo at once (SIGKILL: no shutdown, as a crash or a power cut).</summary>
    public Task<int> KillNationAsync(string code) => EndNationAsync(code, Kill, "killed");

    private async Task<int> EndNationAsync(string code, Func<int, bool> end, string ended)
    {
        var (_, nation) = Lookup(code);
        var done = end(nation.Pid);
        await output.WriteLineAsync($"{nation.Code}: {(done ? ended : "was not running")} (pid {nation.Pid})");
        return ExitCodes.Ok;
    }

    /// <summary>
    /// Starts one more silo of a running nation on PostgreSQL: the same database, certificate and
    /// roster, its own ports. It is not in the state file: the caller stops it with <see cref="Kill"/>.
    /// </summary>
    public async Task<LocalNationState> AddSiloAsync(string code, CancellationToken cancellationToken)
    {
        var (_, nation) = Lookup(code);
        if (nation.Database is null)
        {
            throw new FedctlException($"a second silo of {nation.Code} needs the nation on PostgreSQL (up --postgres): silos of one nation share its database", ExitCodes.Usage);
        }

        var ports = FreePorts(4);
        var replaced = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["--Federation:Urls="] = $"http://127.0.0.1:{ports[0]}",
            ["--Federation:SiloPort="] = ports[1].ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["--Federation:GatewayPort="] = ports[2].ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["--Federation:Peering:Port="] = ports[3].ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var arguments = nation.Arguments
            .Select(a => replaced.FirstOrDefault(r => a.StartsWith(r.Key, StringComparison.Ordinal)) is { Key: not null } r ? r.Key + r.Value : a)
            .ToList();
        var log = Path.Combine(Path.GetDirectoryName(nation.Log)!, $"silo-{ports[1]}.log");
        var added = nation with
        {
            Pid = Launch(arguments, log, Path.GetDirectoryName(nation.Log)!),
            ApiUrl = $"http://127.0.0.1:{ports[0]}",
            DashboardUrl = $"http://127.0.0.1:{ports[0]}/dashboard",
            FederationUrl = $"https://127.0.0.1:{ports[3]}/federation/v1",
            Log = log,
            Arguments = arguments,
        };
        await WaitReadyAsync(added, cancellationToken);
        await output.WriteLineAsync($"{added.Code}: another silo started (pid {added.Pid}) at {added.ApiUrl}");
        return added;
    }

    /// <summary>Starts one stopped nation again with the same ports, certificate and roster.</summary>
    public async Task<int> StartNationAsync(string code, CancellationToken cancellationToken)
    {
        var (state, nation) = Lookup(code);
        if (IsOurSilo(nation.Pid))
        {
            await output.WriteLineAsync($"{nation.Code} is already running (pid {nation.Pid})");
            return ExitCodes.Ok;
        }

        var restarted = nation with { Pid = Launch(nation.Arguments, nation.Log, Path.GetDirectoryName(nation.Log)!) };
        await WaitReadyAsync(restarted, cancellationToken);
        state = state with { Nations = [.. state.Nations.Select(n => n.Code == restarted.Code ? restarted : n)] };
        state.Write(StatePath);
        await output.WriteLineAsync($"{restarted.Code}: started (pid {restarted.Pid}) at {restarted.ApiUrl}");
        return ExitCodes.Ok;
    }

    private (LocalFederationState State, LocalNationState Nation) Lookup(string code)
    {
        var state = LocalFederationState.Read(StatePath)
            ?? throw new FedctlException($"no local federation recorded in {StatePath}; start one with 'up FR DE SE'", ExitCodes.NotFound);
        var nation = state.Nations.FirstOrDefault(n => string.Equals(n.Code, code, StringComparison.OrdinalIgnoreCase))
            ?? throw new FedctlException($"{code} is not part of the local federation ({string.Join(", ", state.Nations.Select(n => n.Code))})", ExitCodes.NotFound);
        return (state, nation);
    }

    /// <summary>Prints the recorded nations and whether each process is alive (<paramref name="json"/>: the state file's JSON).</summary>
    public async Task<int> StatusAsync(bool json = false)
    {
        var state = LocalFederationState.Read(StatePath);
        if (state is null)
        {
            await error.WriteLineAsync($"no local federation recorded in {StatePath}; start one with 'up FR DE SE'");
            return ExitCodes.NotFound;
        }

        if (json)
        {
            await output.WriteLineAsync(await File.ReadAllTextAsync(StatePath));
            return ExitCodes.Ok;
        }

        PrintTable(state);
        return ExitCodes.Ok;
    }

    /// <summary>Prints the API base URL of nation <paramref name="code"/> (what <c>fedctl --url</c> and <c>FEDCTL_URL</c> take).</summary>
    public async Task<int> UrlAsync(string code)
    {
        var (_, nation) = Lookup(code);
        await output.WriteLineAsync(nation.ApiUrl);
        if (!IsOurSilo(nation.Pid))
        {
            await error.WriteLineAsync($"note: {nation.Code} is not running (pid {nation.Pid}); 'start {nation.Code}' starts it again");
        }

        return ExitCodes.Ok;
    }

    private void PrintTable(LocalFederationState state) =>
        TableWriter.Write(
            output,
            ["nation", "api", "dashboard", "federation", "pid", "process"],
            state.Nations.Select(n => (IReadOnlyList<string>)[n.Code, n.ApiUrl + "/api/v1", n.DashboardUrl, n.FederationUrl, n.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), IsOurSilo(n.Pid) ? "running" : "stopped"]),
            maxCellWidth: 80);

    /// <summary>The workloads as given, or the first one that is not <c>name@version</c> as a usage error.</summary>
    private static List<string> CheckWorkloads(IReadOnlyList<string> workloads)
    {
        var checkedWorkloads = new List<string>();
        foreach (var workload in workloads)
        {
            var parts = workload.Split('@');
            if (parts.Length != 2 || !IdSyntax.IsSlug(parts[0]) || parts[1] is not { Length: >= 1 and <= 64 } version
                || !version.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '+'))
            {
                throw new FedctlException(
                    $"'{workload}' is not a workload: write name@version, e.g. demo-train@1.0 (the name {IdSyntax.SlugRule}; the version 1 to 64 letters, digits, '.', '-', '_' or '+')",
                    ExitCodes.Usage);
            }

            if (!checkedWorkloads.Contains(workload, StringComparer.Ordinal))
            {
                checkedWorkloads.Add(workload);
            }
        }

        return checkedWorkloads;
    }

    private LocalNationState Start(Plan plan, string siloDll, string rosterPath, string? database, TimeSpan advertInterval, IReadOnlyList<string> workloads, IReadOnlyList<string> training)
    {
        var log = Path.Combine(plan.Directory, "silo.log");
        var arguments = new List<string>
        {
            siloDll,
            $"--Federation:Nation:Code={plan.Code}",
            $"--Federation:Urls=http://127.0.0.1:{plan.ApiPort}",
            $"--Federation:SiloPort={plan.SiloPort}",
            $"--Federation:GatewayPort={plan.GatewayPort}",
            $"--Federation:Peering:Port={plan.FederationPort}",
            $"--Federation:Peering:CertificatePath={plan.Certificate}",
            $"--Federation:Peering:RosterPath={rosterPath}",
            $"--Federation:Peering:AdvertInterval={advertInterval:c}",
            $"--Federation:Executor:WorkRoot={Path.Combine(plan.Directory, "jobs")}",
            $"--Federation:Data:Roots:0={Path.Combine(plan.Directory, "data")}",
            $"--Federation:Artifacts:Root={Path.Combine(plan.Directory, "artifacts")}",

            // A launched nation is a demo, in memory or on PostgreSQL: its own demo catalogue, and
            // demo nodes kept up by the silo's simulated node agent.
            "--Federation:DemoNation=true",
        };
        arguments.AddRange(workloads.Select((w, i) => $"--Federation:Peering:Workloads:{i}={w}"));
        arguments.AddRange(training);
        if (database is not null)
        {
            arguments.Add($"--Federation:Postgres:ConnectionString={database}");
            arguments.Add("--Federation:Postgres:MigrateOnStart=true");
            arguments.Add($"--Federation:Auth:AdminTokens:0=local-{plan.Code.Value.ToLowerInvariant()}-admin-token");
        }

        foreach (var key in new[] { "*", plan.Code.Value })
        {
            arguments.AddRange(ExtraArguments.TryGetValue(key, out var extra) ? extra : []);
        }

        var pid = Launch(arguments, log, plan.Directory);
        return new LocalNationState(
            plan.Code.Value,
            pid,
            $"http://127.0.0.1:{plan.ApiPort}",
            $"http://127.0.0.1:{plan.ApiPort}/dashboard",
            $"https://127.0.0.1:{plan.FederationPort}/federation/v1",
            log,
            database is null ? null : new NpgsqlConnectionStringBuilder(database).Database,
            arguments);
    }

    private sealed record Plan(NationCode Code, int ApiPort, int FederationPort, int SiloPort, int GatewayPort, string Directory)
    {
        public string Certificate => Path.Combine(Directory, $"{Code.Value.ToLowerInvariant()}.pfx");
    }
}
