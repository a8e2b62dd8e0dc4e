using System.Globalization;

namespace Federation.Benchmarks;

/// <summary>Command-line options of the job-throughput benchmark (<c>-- throughput ...</c>).</summary>
internal sealed record ThroughputOptions
{
    /// <summary>Jobs submitted in DE for FR.</summary>
    public int Jobs { get; init; } = 2_000;

    /// <summary>Jobs per <c>POST /api/v1/jobs:batch</c>.</summary>
    public int Batch { get; init; } = 500;

    /// <summary>Untimed jobs first, through the same path.</summary>
    public int WarmUp { get; init; } = 500;

    /// <summary>Batch requests in flight at once.</summary>
    public int InFlight { get; init; } = 2;

    /// <summary>Sequential (and, spread over 4 loops, parallel) <c>sbatch</c> calls.</summary>
    public int SbatchCalls { get; init; } = 200;

    /// <summary>Tasks of the one <c>sbatch --array</c> submission.</summary>
    public int ArrayTasks { get; init; } = 1_000;

    /// <summary>Seconds of <c>pgbench -N</c>.</summary>
    public int PgbenchSeconds { get; init; } = 15;

    /// <summary>Jobs submitted one at a time (each waits for the previous one's admission) for the low-load latency.</summary>
    public int LowLoad { get; init; } = 50;

    /// <summary>Milliseconds each low-load job waits after the previous one's admission (0: none, the jobs follow each other at once).</summary>
    public int LowLoadGap { get; init; }

    /// <summary>Seconds of the idle window after the run, the federation holding its live jobs (0: none).</summary>
    public int IdleSeconds { get; init; }

    /// <summary>
    /// Where the silos make their job directories: under this directory (a tmpfs by default, as
    /// docs/operations.md advises for runs whose outputs need not outlive the host), or null for the
    /// run's own directory under the system's temporary directory.
    /// </summary>
    public string? WorkRoot { get; init; } = DefaultWorkRoot;

    /// <summary><c>/dev/shm</c> where there is one with at least 1 GiB free (a container's is often 64 MiB), else null (the run's directory).</summary>
    public static string? DefaultWorkRoot => Directory.Exists("/dev/shm") && new DriveInfo("/dev/shm").AvailableFreeSpace >= 1L << 30 ? "/dev/shm" : null;

    /// <summary>Silos per nation, one federation run per entry (1 and/or 2).</summary>
    public IReadOnlyList<int> SilosPerNation { get; init; } = [1];

    /// <summary>Longest wait, after the warm-up, for the silos' tiered compilation to settle.</summary>
    public int SettleSeconds { get; init; } = 60;

    /// <summary>Federation sizes of the routing decisions timed on a thread of the client during the timed window (none: not timed).</summary>
    public IReadOnlyList<int> RoutingNations { get; init; } = [100, 180];

    /// <summary>GPU nodes behind the adverts of those routing decisions.</summary>
    public int RoutingNodes { get; init; } = 100_000;

    /// <summary>Skip the Slurm baselines (no Slurm on this machine).</summary>
    public bool SkipSlurm { get; init; }

    /// <summary>Whether the silos append to their transparency logs, one federation run per entry: [true] (on, the default), [false] (off) or both (off first, then on).</summary>
    public IReadOnlyList<bool> TransparencyLog { get; init; } = [true];

    /// <summary>
    /// Whether the silos run their telemetry, one federation run per entry: [false] (metrics off, no
    /// trace exporter), [true] (metrics on and every span exported to a span file) or both (off first,
    /// then on); null (the option not given): the silos' defaults (metrics kept, no trace exporter).
    /// </summary>
    public IReadOnlyList<bool>? Telemetry { get; init; }

    public const string Usage = """
        usage: dotnet run -c Release --project tests/Federation.Benchmarks -- throughput [options]
          --jobs N          jobs submitted in DE, all for FR (default 2000)
          --batch B         jobs per POST /api/v1/jobs:batch, 1 to 1000 (default 500)
          --in-flight N     batch requests in flight at once (default 2)
          --warmup N        untimed jobs first, through the same path (default 500)
          --sbatch N        sequential sbatch calls, and as many over 4 parallel loops (default 200)
          --array N         tasks of the one sbatch --array submission (default 1000)
          --pgbench S       seconds of pgbench -N (default 15)
          --low-load N      jobs submitted one at a time, each after the last was admitted, for the
                            submit -> admitted latency at low load (default 50)
          --low-load-gap MS milliseconds each low-load job waits after the last one's admission, 0 to
                            10000 (default 0: at once; with a gap, the work each admitted job sets off
                            is done before the next one comes)
          --idle S          after the run, S seconds (0 to 3600) with nothing submitted: the CPU each
                            process spends holding the live jobs (an hour-long lease each), and the
                            lease-index rows written meanwhile (default 0: no idle window)
          --work-root DIR|run
                            where the silos make their job directories (3 directories and a link per
                            admitted job): under DIR, an existing absolute directory, or in the run's
                            own directory under the temporary directory (run); default /dev/shm (a
                            tmpfs) where it has 1 GiB free, as docs/operations.md advises: on ext4
                            without a journal each new directory costs up to a millisecond of CPU
          --silos-per-nation 1|2|1,2
                            silos per nation; with 1,2 the federation runs twice, once each (default 1)
          --settle S        longest wait after the warm-up for the silos' tiered compilation to settle
                            (default 60 s)
          --routing-nations N,N|none
                            federation sizes of the Router.Decide loop timed on a thread of the client
                            during the timed window, 3 to 180 each (default 100,180; none: no loop)
          --routing-nodes N GPU nodes behind those adverts, 100 to 1000000 (default 100000)
          --transparency on|off|both
                            whether the silos append to their transparency logs
                            (Federation:Transparency:Record); both: each silo count runs twice, log
                            off then on, and the cost of the log is printed (default on)
          --telemetry on|off|both
                            off: no metrics (Federation:Telemetry:Metrics=false) and no trace
                            exporter; on: metrics, and every span (requests, grain calls, Npgsql,
                            job messages) exported to a span file per nation, as a nation without a
                            collector runs it; both: each run twice, telemetry off then on, and its
                            cost is printed (default: the silos' defaults, metrics kept, no exporter)
          --no-slurm        skip the Slurm baselines
        The silos run with the runtime's production defaults: tiered compilation on, no GC setting
        (DOTNET_TieredCompilation, DOTNET_TC_*, DOTNET_Tiered*, DOTNET_GC* and DOTNET_gc* are removed
        from their environment).
        Exit code 0 when every acknowledged job is in DE's job store and reached FR, 1 when one is lost.
        Needs PostgreSQL (bash infra/ci/postgres-up.sh) and, for the baselines, root to start a local
        Slurm cluster (infra/slurm/slurm-up.sh lab 7817 7818 a100:2) and pgbench.
        """;

    /// <summary>Parses <paramref name="args"/> (after the word <c>throughput</c>); returns null with <paramref name="error"/> set when they are wrong.</summary>
    public static ThroughputOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        var options = new ThroughputOptions();
        error = null;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name is "-h" or "--help")
            {
                error = "";
                return null;
            }

            if (name == "--no-slurm")
            {
                options = options with { SkipSlurm = true };
                continue;
            }


            if (name == "--tiered-jit")
            {
                error = "--tiered-jit is no longer an option: the silos always run with the runtime's defaults (tiered compilation on)";
                return null;
            }

            if (!s_rules.TryGetValue(name, out var valueRule))
            {
                error = $"'{name}' is not an option of the throughput benchmark";
                return null;
            }

            if (i + 1 >= args.Count)
            {
                error = $"{name} needs a value, which {valueRule}";
                return null;
            }

            var value = args[++i];
            switch (name)
            {
                case "--jobs" when Positive(value, 1_000_000) is { } n:
                    options = options with { Jobs = n };
                    break;
                case "--batch" when Positive(value, 1_000) is { } n:
                    options = options with { Batch = n };
                    break;
                case "--warmup" when Positive(value, 100_000) is { } n:
                    options = options with { WarmUp = n };
                    break;
                case "--in-flight" when Positive(value, 64) is { } n:
                    options = options with { InFlight = n };
                    break;
                case "--sbatch" when Positive(value, 100_000) is { } n:
                    options = options with { SbatchCalls = n };
                    break;
                case "--array" when Positive(value, 100_000) is { } n:
                    options = options with { ArrayTasks = n };
                    break;
                case "--pgbench" when Positive(value, 3_600) is { } n:
                    options = options with { PgbenchSeconds = n };
                    break;
                case "--low-load" when Positive(value, 10_000) is { } n:
                    options = options with { LowLoad = n };
                    break;
                case "--low-load-gap" when value == "0":
                    options = options with { LowLoadGap = 0 };
                    break;
                case "--low-load-gap" when Positive(value, 10_000) is { } n:
                    options = options with { LowLoadGap = n };
                    break;
                case "--idle" when value == "0":
                    options = options with { IdleSeconds = 0 };
                    break;
                case "--idle" when Positive(value, 3_600) is { } n:
                    options = options with { IdleSeconds = n };
                    break;
                case "--work-root" when value == "run":
                    options = options with { WorkRoot = null };
                    break;
                case "--work-root" when Path.IsPathFullyQualified(value) && Directory.Exists(value):
                    options = options with { WorkRoot = Path.TrimEndingDirectorySeparator(value) };
                    break;
                case "--settle" when Positive(value, 600) is { } n:
                    options = options with { SettleSeconds = n };
                    break;
                case "--routing-nations" when value == "none":
                    options = options with { RoutingNations = [] };
                    break;
                case "--routing-nations" when NationCounts(value) is { } counts:
                    options = options with { RoutingNations = counts };
                    break;
                case "--routing-nodes" when Positive(value, 1_000_000) is >= 100 and var n:
                    options = options with { RoutingNodes = n };
                    break;
                case "--silos-per-nation" when SiloCounts(value) is { } counts:
                    options = options with { SilosPerNation = counts };
                    break;
                case "--transparency" when value is "on" or "off" or "both":
                    options = options with { TransparencyLog = value switch { "on" => [true], "off" => [false], _ => [false, true] } };
                    break;
                case "--telemetry" when value is "on" or "off" or "both":
                    options = options with { Telemetry = value switch { "on" => [true], "off" => [false], _ => [false, true] } };
                    break;
                default:
                    error = s_rules.TryGetValue(name, out var rule)
                        ? $"{name} {value}: {rule}"
                        : $"'{name}' is not an option of the throughput benchmark";
                    return null;
            }
        }

        return options;
    }

    /// <summary>The command that reproduces this run.</summary>
    public string Command() => string.Create(CultureInfo.InvariantCulture,
        $"dotnet run -c Release --project tests/Federation.Benchmarks -- throughput --jobs {Jobs} --batch {Batch} --in-flight {InFlight} --warmup {WarmUp} --sbatch {SbatchCalls} --array {ArrayTasks} --pgbench {PgbenchSeconds} --low-load {LowLoad}{(LowLoadGap > 0 ? $" --low-load-gap {LowLoadGap}" : "")}{(IdleSeconds > 0 ? $" --idle {IdleSeconds}" : "")} --work-root {WorkRoot ?? "run"} --silos-per-nation {string.Join(',', SilosPerNation)} --settle {SettleSeconds} --routing-nations {(RoutingNations.Count == 0 ? "none" : string.Join(',', RoutingNations))} --routing-nodes {RoutingNodes} --transparency {(TransparencyLog.Count == 2 ? "both" : TransparencyLog[0] ? "on" : "off")}{(Telemetry is null ? "" : $" --telemetry {(Telemetry.Count == 2 ? "both" : Telemetry[0] ? "on" : "off")}")}{(SkipSlurm ? " --no-slurm" : "")}");

    private static readonly Dictionary<string, string> s_rules = new(StringComparer.Ordinal)
    {
        ["--jobs"] = "must be a whole number from 1 to 1000000",
        ["--batch"] = "must be a whole number from 1 to 1000",
        ["--warmup"] = "must be a whole number from 1 to 100000",
        ["--in-flight"] = "must be a whole number from 1 to 64",
        ["--sbatch"] = "must be a whole number from 1 to 100000",
        ["--array"] = "must be a whole number from 1 to 100000",
        ["--pgbench"] = "must be a whole number of seconds from 1 to 3600",
        ["--low-load"] = "must be a whole number from 1 to 10000",
        ["--low-load-gap"] = "must be a whole number of milliseconds from 0 to 10000",
        ["--transparency"] = "must be on, off or both",
        ["--telemetry"] = "must be on, off or both",
        ["--idle"] = "must be a whole number of seconds from 0 to 3600",
        ["--work-root"] = "must be 'run' (the run's own directory) or an existing directory given by its absolute path",
        ["--settle"] = "must be a whole number of seconds from 1 to 600",
        ["--silos-per-nation"] = "must be 1, 2 or 1,2 (each count once)",
        ["--routing-nations"] = "must be 'none' or nation counts from 3 to 180 separated by commas (e.g. 100,180)",
        ["--routing-nodes"] = "must be a whole number from 100 to 1000000",
    };

    /// <summary>"1", "2", "1,2" or "2,1": each count once, each 1 or 2; null otherwise.</summary>
    private static int[]? SiloCounts(string text)
    {
        var parts = text.Split(',');
        var counts = parts.Select(p => Positive(p, 2)).ToArray();
        return counts.All(c => c is not null) && counts.Distinct().Count() == counts.Length ? [.. counts.Select(c => c!.Value)] : null;
    }

    /// <summary>"100,180": each from 3 to 180; null otherwise.</summary>
    private static int[]? NationCounts(string text)
    {
        var counts = text.Split(',').Select(p => Positive(p, 180)).ToArray();
        return counts.All(c => c is >= 3) ? [.. counts.Select(c => c!.Value)] : null;
    }

    private static int? Positive(string text, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= max ? n : null;
}
