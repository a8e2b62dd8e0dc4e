using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Federation.Testing;
using Npgsql;

namespace Federation.Silo.Tests;

/// <summary>
/// Two silo processes of one nation on one PostgreSQL database form one Orleans cluster; when one
/// is killed (-9), the survivor keeps serving and loses no acknowledged write.
/// </summary>
/// <remarks>
/// Membership timing is shortened (ProbeTimeout 2 s, MissedProbesLimit 2) so that the dead silo is
/// declared dead within seconds; the test still allows 60 s for a loaded 2-core machine.
/// </remarks>
[Trait("Category", "EndToEnd")]
public sealed partial class MultiSiloTests : IAsyncLifetime
{
    private Queue<int>? _ports;

    private const string Token = "multi-silo-admin-token-0123456789";
    private const int SiloStatusDead = 6;
    private static readonly TimeSpan StartupDeadline = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan FailoverDeadline = TimeSpan.FromSeconds(60);

    private readonly List<SiloProcess> _silos = [];
    private readonly string _logDirectory = Path.Combine(Path.GetTempPath(), $"multisilo-{Guid.NewGuid():N}");
    private PostgresTestDatabase _database = null!;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_logDirectory);
        _database = await PostgresTestDatabase.CreateAsync(nameof(MultiSiloTests));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }

        await _database.DisposeAsync();
    }

    [Fact]
    public async Task TwoSiloNation_OneSiloKilled_SurvivorServesEveryAcknowledgedWrite()
    {
        var ct = TestContext.Current.CancellationToken;
        var a = StartSilo("silo-a");
        var b = StartSilo("silo-b");

        // Phase 1: both processes ready, and one cluster of two active silos.
        await PhaseAsync("start-up: /health/ready 200 on both silos", () => Task.WhenAll(
            Eventually.WaitAsync(() => StatusAsync(a, "/health/ready"), s => s == HttpStatusCode.OK, StartupDeadline, $"{a.Name} /health/ready = 200", TimeSpan.FromMilliseconds(250)),
            Eventually.WaitAsync(() => StatusAsync(b, "/health/ready"), s => s == HttpStatusCode.OK, StartupDeadline, $"{b.Name} /health/ready = 200", TimeSpan.FromMilliseconds(250))));
        foreach (var silo in new[] { a, b })
        {
            await PhaseAsync($"cluster formed: {silo.Name} dashboard shows 2 active silos", () =>
                Eventually.WaitAsync(() => ActiveSilosAsync(silo), n => n == 2, FailoverDeadline, $"{silo.Name} $.totalActiveHostCount = 2", TimeSpan.FromMilliseconds(500)));
        }

        var killedSiloPort = b.SiloPort();

        // Phase 2: a steady stream of writes and reads through both silos.
        await using var stream = new TrafficStream([a, b]);
        stream.Start();
        await PhaseAsync("steady stream through both silos", () =>
            Eventually.WaitAsync(() => Task.FromResult(stream.Snapshot()), s => s.AcknowledgedThrough(a) >= 20 && s.AcknowledgedThrough(b) >= 20 && s.Failures == 0,
                TimeSpan.FromSeconds(60), "at least 20 acknowledged writes through each silo and no failure", TimeSpan.FromMilliseconds(250)));

        // Phase 3: kill -9 silo B; the stream continues through the survivor only.
        var beforeKill = stream.Snapshot();
        stream.Retarget([a]);
        var clock = Stopwatch.StartNew();
        b.Kill();
        stream.MarkKill();

        var recovered = await PhaseAsync("failover: survivor serves writes and reads again", () =>
            Eventually.WaitAsync(() => Task.FromResult(stream.Snapshot()), s => s.ConsecutiveSuccessesSinceKill >= 10,
                FailoverDeadline, "10 consecutive acknowledged writes and successful reads through the survivor after the kill", TimeSpan.FromMilliseconds(250)));
        var recoveredAfter = clock.Elapsed;

        var deadDeclaredAfter = await PhaseAsync("failure detection: membership table marks the killed silo dead", async () =>
        {
            await Eventually.WaitAsync(() => MembershipStatusAsync(killedSiloPort), s => s == SiloStatusDead, FailoverDeadline,
                $"membership row of silo port {killedSiloPort} has status {SiloStatusDead} (Dead)", TimeSpan.FromMilliseconds(250));
            return clock.Elapsed;
        });

        await PhaseAsync("dashboard: survivor shows 1 active silo", () =>
            Eventually.WaitAsync(() => ActiveSilosAsync(a), n => n == 1, FailoverDeadline, $"{a.Name} $.totalActiveHostCount = 1", TimeSpan.FromMilliseconds(500)));

        // Keep the stream going briefly after recovery, then stop it.
        await PhaseAsync("stream after recovery", () =>
            Eventually.WaitAsync(() => Task.FromResult(stream.Snapshot()), s => s.Acknowledged.Count >= recovered.Acknowledged.Count + 10,
                TimeSpan.FromSeconds(30), "10 more acknowledged writes through the survivor", TimeSpan.FromMilliseconds(250)));
        await stream.StopAsync();
        var final = stream.Snapshot();

        // Phase 4: every acknowledged id is readable through the survivor.
        using var client = a.CreateClient();
        await PhaseAsync($"durability: all {final.Acknowledged.Count} acknowledged ids readable through the survivor", () =>
            Eventually.WaitAsync(async () =>
            {
                var missing = new List<string>();
                foreach (var id in final.Acknowledged)
                {
                    using var response = await client.GetAsync($"/api/v1/datasets/{id}", ct);
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        missing.Add($"{id}={(int)response.StatusCode}");
                    }
                }

                return missing;
            }, m => m.Count == 0, FailoverDeadline, "GET 200 for every acknowledged id", TimeSpan.FromSeconds(1)));

        var firstSuccess = final.FirstSuccessAfterKill is { } s ? $"{s.TotalSeconds:0.0} s" : "none";
        var lastFailure = final.LastFailureAfterKill is { } f ? $"{f.TotalSeconds:0.0} s" : "none";
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"acknowledged before kill: {beforeKill.Acknowledged.Count} (a={beforeKill.AcknowledgedThrough(a)}, b={beforeKill.AcknowledgedThrough(b)}); " +
            $"total acknowledged: {final.Acknowledged.Count}; failed operations after kill: {final.FailuresAfterKill} ({string.Join("; ", final.RecentFailures)}); " +
            $"first success after kill: {firstSuccess}; last failure after kill: {lastFailure}; " +
            $"10-in-a-row recovery after {recoveredAfter.TotalSeconds:0.0} s; membership Dead after {deadDeclaredAfter.TotalSeconds:0.0} s; logs in {_logDirectory}");
    }

    private SiloProcess StartSilo(string name)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Federation.Silo.dll");
        if (!File.Exists(dll))
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name ?? "Debug";
            dll = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "silos", "Federation.Silo", "bin", configuration, "net10.0", "Federation.Silo.dll"));
        }

        Assert.True(File.Exists(dll), $"the silo's build output is missing: {dll}");
        // All ports of both silos are chosen together, while held, so that no two listeners (API,
        // Orleans silo, gateway, of either process) can be handed the same just-released port.
        _ports ??= new Queue<int>(FreePorts(6));
        var port = _ports.Dequeue();
        var siloPort = _ports.Dequeue();
        var gatewayPort = _ports.Dequeue();
        var silo = SiloProcess.Start(name, dll, new Uri($"http://127.0.0.1:{port}"), _logDirectory,
        [
            $"--Federation:Postgres:ConnectionString={_database.ConnectionString}",
            "--Federation:Postgres:MigrateOnStart=true",
            $"--Federation:Auth:AdminTokens:0={Token}",
            $"--Federation:Urls=http://127.0.0.1:{port}",
            $"--Federation:SiloPort={siloPort}",
            $"--Federation:GatewayPort={gatewayPort}",
            "--Federation:Membership:ProbeTimeout=00:00:02",
            "--Federation:Membership:MissedProbesLimit=2",

            // Orleans' placement pipeline logs every call at Information: keep the log tails readable.
            "--Logging:LogLevel:Polly=Warning",
        ]);
        _silos.Add(silo);
        return silo;
    }

    private static List<int> FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToList();
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }

    private static async Task<HttpStatusCode> StatusAsync(SiloProcess silo, string path)
    {
        using var client = silo.CreateClient();
        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
        return response.StatusCode;
    }

    /// <summary>The dashboard's <c>$.totalActiveHostCount</c>.</summary>
    private static async Task<int> ActiveSilosAsync(SiloProcess silo)
    {
        using var client = silo.CreateClient();
        var counters = await Http.ExpectAsync(await client.GetAsync("/dashboard/DashboardCounters", TestContext.Current.CancellationToken), HttpStatusCode.OK);
        var active = counters["totalActiveHostCount"]!.GetValue<int>();
        var hostsActive = counters["hosts"]!.AsArray().Count(h => h!["status"]!.GetValue<string>() == "Active");
        Assert.Equal(active, hostsActive);
        return active;
    }

    private async Task<int> MembershipStatusAsync(int siloPort)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand("SELECT status FROM orleansmembershiptable WHERE port = @port ORDER BY generation DESC LIMIT 1", connection);
        command.Parameters.AddWithValue("port", siloPort);
        return (int)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken) ?? -1);
    }

    /// <summary>Runs one phase; a failure names the phase and carries both silos' log tails.</summary>
    private async Task<T> PhaseAsync<T>(string phase, Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (e is TimeoutException or HttpRequestException or Xunit.Sdk.XunitException)
        {
            var logs = new StringBuilder();
            foreach (var silo in _silos)
            {
                logs.AppendLine(silo.Describe());
            }

            Assert.Fail($"phase '{phase}' failed: {e.Message}{Environment.NewLine}{logs}");
            throw;
        }
    }

    /// <summary>A silo in its own process (and its own process group), output in files.</summary>
    private sealed partial class SiloProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly string _stdout;
        private readonly string _stderr;

        private SiloProcess(string name, Process process, Uri baseAddress, string stdout, string stderr)
        {
            Name = name;
            _process = process;
            BaseAddress = baseAddress;
            _stdout = stdout;
            _stderr = stderr;
        }

        public string Name { get; }

        public Uri BaseAddress { get; }

        public static SiloProcess Start(string name, string dll, Uri baseAddress, string logDirectory, IEnumerable<string> args)
        {
            var stdout = Path.Combine(logDirectory, $"{name}.stdout.log");
            var stderr = Path.Combine(logDirectory, $"{name}.stderr.log");

            // The shell redirects to files (no pipe can fill up) and execs setsid, which execs dotnet:
            // the silo keeps this PID and leads its own process group.
            var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = logDirectory };
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add(File.Exists("/usr/bin/setsid")
                ? "out=$1; err=$2; shift 2; exec /usr/bin/setsid \"$@\" >\"$out\" 2>\"$err\" </dev/null"
                : "out=$1; err=$2; shift 2; exec \"$@\" >\"$out\" 2>\"$err\" </dev/null");
            info.ArgumentList.Add("silo");
            info.ArgumentList.Add(stdout);
            info.ArgumentList.Add(stderr);
            info.ArgumentList.Add("dotnet");
            info.ArgumentList.Add(dll);
            foreach (var arg in args)
            {
                info.ArgumentList.Add(arg);
            }

            info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            info.Environment.Remove("ASPNETCORE_URLS");
            var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {name}");
            return new SiloProcess(name, process, baseAddress, stdout, stderr);
        }

        public HttpClient CreateClient()
        {
            var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            return client;
        }

        /// <summary>The Orleans silo port the process announced on its stdout.</summary>
        public int SiloPort()
        {
            var match = PortsLine().Match(ReadShared(_stdout));
            Assert.True(match.Success, $"{Name} did not announce its ports.{Environment.NewLine}{Describe()}");
            return int.Parse(match.Groups["silo"].Value, CultureInfo.InvariantCulture);
        }

        /// <summary>kill -9 of the whole process tree.</summary>
        public void Kill()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        public string Describe()
        {
            var state = _process.HasExited ? $"exited with {_process.ExitCode}" : "running";
            return $"--- {Name} (pid {_process.Id}, {BaseAddress}, {state}) stdout tail:{Environment.NewLine}{Tail(_stdout)}{Environment.NewLine}" +
                $"--- {Name} stderr tail:{Environment.NewLine}{Tail(_stderr)}";
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                Kill();
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (Exception e) when (e is InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
            {
                // Already gone, or not reaped in time: nothing more to do for a killed process.
            }
            finally
            {
                _process.Dispose();
            }
        }

        private static string Tail(string path, int lines = 40)
        {
            var text = ReadShared(path);
            return string.Join(Environment.NewLine, text.Split('\n').TakeLast(lines));
        }

        private static string ReadShared(string path)
        {
            if (!File.Exists(path))
            {
                return "(no output)";
            }

            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }

        [GeneratedRegex(@"ports\s+api=\d+\s+silo=(?<silo>\d+)")]
        private static partial Regex PortsLine();
    }

    /// <summary>What the stream has seen so far.</summary>
    private sealed record TrafficSnapshot(
        IReadOnlyList<string> Acknowledged,
        IReadOnlyDictionary<string, int> AcknowledgedBySilo,
        int Failures,
        int FailuresAfterKill,
        int ConsecutiveSuccessesSinceKill,
        TimeSpan? FirstSuccessAfterKill,
        TimeSpan? LastFailureAfterKill,
        IReadOnlyList<string> RecentFailures)
    {
        public int AcknowledgedThrough(SiloProcess silo) => AcknowledgedBySilo.TryGetValue(silo.Name, out var n) ? n : 0;
    }

    /// <summary>
    /// Writes a new dataset and reads an acknowledged one through each target silo on every tick of
    /// a periodic timer; records every 201 and every failure.
    /// </summary>
    private sealed class TrafficStream : IAsyncDisposable
    {
        private readonly Lock _gate = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly Dictionary<string, HttpClient> _clients = [];
        private readonly List<string> _acknowledged = [];
        private readonly Dictionary<string, int> _acknowledgedBySilo = [];
        private readonly Queue<string> _recentFailures = new();
        private readonly Stopwatch _sinceKill = new();
        private IReadOnlyList<SiloProcess> _targets;
        private Task? _loop;
        private int _next;
        private int _failures;
        private int _failuresAfterKill;
        private int _consecutiveSinceKill;
        private TimeSpan? _firstSuccessAfterKill;
        private TimeSpan? _lastFailureAfterKill;

        public TrafficStream(IReadOnlyList<SiloProcess> targets)
        {
            _targets = targets;
            foreach (var silo in targets)
            {
                _clients[silo.Name] = silo.CreateClient();
            }
        }

        public void Start() => _loop = Task.Run(RunAsync);

        public void Retarget(IReadOnlyList<SiloProcess> targets)
        {
            lock (_gate)
            {
                _targets = targets;
            }
        }

        public void MarkKill()
        {
            lock (_gate)
            {
                _sinceKill.Start();
            }
        }

        public TrafficSnapshot Snapshot()
        {
            lock (_gate)
            {
                return new TrafficSnapshot([.. _acknowledged], new Dictionary<string, int>(_acknowledgedBySilo), _failures, _failuresAfterKill,
                    _consecutiveSinceKill, _firstSuccessAfterKill, _lastFailureAfterKill, [.. _recentFailures]);
            }
        }

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            if (_loop is not null)
            {
                await _loop;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync();
            _stop.Dispose();
            foreach (var client in _clients.Values)
            {
                client.Dispose();
            }
        }

        private async Task RunAsync()
        {
            using var pacing = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
            try
            {
                while (await pacing.WaitForNextTickAsync(_stop.Token))
                {
                    IReadOnlyList<SiloProcess> targets;
                    lock (_gate)
                    {
                        targets = _targets;
                    }

                    foreach (var silo in targets)
                    {
                        await WriteAsync(silo);
                        await ReadAsync(silo);
                    }
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                // Stopped.
            }
        }

        private async Task WriteAsync(SiloProcess silo)
        {
            var id = $"ms-{Interlocked.Increment(ref _next):D5}";
            try
            {
                using var response = await _clients[silo.Name].PostAsync("/api/v1/datasets", Payloads.Json(Payloads.Dataset(id)), _stop.Token);
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    lock (_gate)
                    {
                        _acknowledged.Add(id);
                        _acknowledgedBySilo[silo.Name] = _acknowledgedBySilo.GetValueOrDefault(silo.Name) + 1;
                        Succeeded();
                    }
                }
                else
                {
                    Failed($"POST {id} via {silo.Name}: {(int)response.StatusCode}");
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !_stop.IsCancellationRequested)
            {
                Failed($"POST {id} via {silo.Name}: {e.GetType().Name}");
            }
        }

        private async Task ReadAsync(SiloProcess silo)
        {
            string? id;
            lock (_gate)
            {
                id = _acknowledged.Count == 0 ? null : _acknowledged[Random.Shared.Next(_acknowledged.Count)];
            }

            if (id is null)
            {
                return;
            }

            try
            {
                using var response = await _clients[silo.Name].GetAsync($"/api/v1/datasets/{id}", _stop.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    lock (_gate)
                    {
                        Succeeded();
                    }
                }
                else
                {
                    Failed($"GET {id} via {silo.Name}: {(int)response.StatusCode}");
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !_stop.IsCancellationRequested)
            {
                Failed($"GET {id} via {silo.Name}: {e.GetType().Name}");
            }
        }

        private void Succeeded()
        {
            if (_sinceKill.IsRunning)
            {
                _firstSuccessAfterKill ??= _sinceKill.Elapsed;
                _consecutiveSinceKill++;
            }
        }

        private void Failed(string what)
        {
            lock (_gate)
            {
                _failures++;
                _recentFailures.Enqueue(what);
                if (_recentFailures.Count > 10)
                {
                    _recentFailures.Dequeue();
                }

                if (_sinceKill.IsRunning)
                {
                    _failuresAfterKill++;
                    _consecutiveSinceKill = 0;
                    _lastFailureAfterKill = _sinceKill.Elapsed;
                }
            }
        }
    }
}
