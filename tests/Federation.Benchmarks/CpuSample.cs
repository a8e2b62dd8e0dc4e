using System.Globalization;

namespace Federation.Benchmarks;

/// <summary>
/// CPU time so far (Linux <c>/proc</c>): the machine's busy and total time, the user+system time of
/// chosen processes, and that of the PostgreSQL backends serving databases whose name holds a prefix
/// (their process title names the database; the server's shared processes, such as the WAL writer, are not counted),
/// by the part of the database name after the prefix, upper-cased (<c>fedbench_x_fr</c>: <c>FR</c>). The backends of the
/// benchmark's own connections are counted apart (<see cref="ObserverSeconds"/>).
/// </summary>
internal sealed record CpuSample(double MachineBusySeconds, double MachineTotalSeconds, IReadOnlyDictionary<string, double> ProcessSeconds, IReadOnlyDictionary<string, double> PostgresByDatabase, double ObserverSeconds = 0)
{
    /// <summary>Each PostgreSQL process of the run's databases (the benchmark's own included): its nation and processor seconds so far.</summary>
    public IReadOnlyDictionary<int, (string Nation, double Seconds)> PostgresBackends { get; init; } = new Dictionary<int, (string, double)>();

    /// <summary>
    /// The <paramref name="count"/> PostgreSQL processes that used the most processor time between <paramref name="before"/> and
    /// <paramref name="after"/> (a process started in between counts from zero), busiest first.
    /// </summary>
    public static IReadOnlyList<(int Pid, string Nation, double Seconds)> BusiestBackends(CpuSample before, CpuSample after, int count) =>
        [.. after.PostgresBackends
            .Select(b => (Pid: b.Key, b.Value.Nation, Seconds: b.Value.Seconds - (before.PostgresBackends.TryGetValue(b.Key, out var then) ? then.Seconds : 0)))
            .OrderByDescending(b => b.Seconds)
            .Take(count)];

    /// <summary>CPU time of every counted PostgreSQL backend.</summary>
    public double PostgresSeconds => PostgresByDatabase.Values.Sum();

    private const double TicksPerSecond = 100;

    /// <summary>
    /// Reads the counters now; <paramref name="processes"/> names the processes to follow by pid, and <paramref name="observers"/>
    /// the backends of the benchmark's own connections, counted in <see cref="ObserverSeconds"/> and not by database.
    /// </summary>
    public static CpuSample Take(IReadOnlyDictionary<string, int> processes, string databasePrefix, IReadOnlySet<int>? observers = null)
    {
        double busy = 0, total = 0;
        if (File.Exists("/proc/stat"))
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            total = fields.Sum() / TicksPerSecond;
            busy = total - ((fields[3] + (fields.Length > 4 ? fields[4] : 0)) / TicksPerSecond);
        }

        var named = processes.ToDictionary(p => p.Key, p => ProcessSecondsOf(p.Value), StringComparer.Ordinal);
        var postgres = new Dictionary<string, double>(StringComparer.Ordinal);
        var observed = 0.0;
        var backends = new Dictionary<int, (string, double)>();
        foreach (var dir in Directory.Exists("/proc") ? Directory.EnumerateDirectories("/proc") : [])
        {
            var pid = Path.GetFileName(dir);
            if (pid.All(char.IsAsciiDigit) && ReadOrNull(Path.Combine(dir, "comm"))?.Trim() == "postgres"
                && ReadOrNull(Path.Combine(dir, "cmdline")) is { } title
                && title.Split([' ', '\0'], StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(w => w.StartsWith(databasePrefix + "_", StringComparison.Ordinal)) is { } database)
            {
                var id = int.Parse(pid, CultureInfo.InvariantCulture);
                var key = database[(databasePrefix.Length + 1)..].ToUpperInvariant();
                var seconds = ProcessSecondsOf(id);
                backends[id] = (key, seconds);
                if (observers?.Contains(id) == true)
                {
                    observed += seconds;
                    continue;
                }

                postgres[key] = postgres.GetValueOrDefault(key) + seconds;
            }
        }

        return new CpuSample(busy, total, named, postgres, observed) { PostgresBackends = backends };
    }

    /// <summary>CPU time of the .NET tiered-compilation threads of <paramref name="pids"/> so far.</summary>
    public static double JitSeconds(IEnumerable<int> pids) =>
        pids.SelectMany(pid => Directory.Exists($"/proc/{pid}/task") ? Directory.EnumerateDirectories($"/proc/{pid}/task") : [])
            .Where(task => ReadOrNull(Path.Combine(task, "comm"))?.StartsWith(".NET Tiered", StringComparison.Ordinal) == true)
            .Sum(task => SecondsOfStat(Path.Combine(task, "stat")));

    private static double ProcessSecondsOf(int pid) => SecondsOfStat($"/proc/{pid}/stat");

    private static double SecondsOfStat(string path)
    {
        // Fields after the command name (which may hold spaces): state is the 3rd field, utime the 14th, stime the 15th.
        var stat = ReadOrNull(path);
        if (stat is null)
        {
            return 0;
        }

        var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (double.Parse(rest[11], CultureInfo.InvariantCulture) + double.Parse(rest[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }

    private static string? ReadOrNull(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
