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

    /// <summary>Keep the runtime's tiered compilation in the silos (off by default: see <see cref="ThroughputFederation"/>).</summary>
    public bool TieredCompilation { get; init; }

    /// <summary>Skip the Slurm baselines (no Slurm on this machine).</summary>
    public bool SkipSlurm { get; init; }

    public const string Usage = """
        usage: dotnet run -c Release --project tests/Federation.Benchmarks -- throughput [options]
          --jobs N          jobs submitted in DE, all for FR (default 2000)
          --batch B         jobs per POST /api/v1/jobs:batch, 1 to 1000 (default 500)
          --in-flight N     batch requests in flight at once (default 2)
          --warmup N        untimed jobs first, through the same path (default 500)
          --sbatch N        sequential sbatch calls, and as many over 4 parallel loops (default 200)
          --array N         tasks of the one sbatch --array submission (default 1000)
          --pgbench S       seconds of pgbench -N (default 15)
          --no-slurm        skip the Slurm baselines
          --tiered-jit      keep tiered compilation in the silos (default: DOTNET_TieredCompilation=0,
                            so that a run of minutes measures the silos, not their JIT)
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
                options = options with { TieredCompilation = true };
                continue;
            }

            if (i + 1 >= args.Count)
            {
                error = $"{name} needs a value";
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
                default:
                    error = $"'{name} {value}' is not an option of the throughput benchmark (or its value is out of range)";
                    return null;
            }
        }

        return options;
    }

    /// <summary>The command that reproduces this run.</summary>
    public string Command() => string.Create(CultureInfo.InvariantCulture,
        $"dotnet run -c Release --project tests/Federation.Benchmarks -- throughput --jobs {Jobs} --batch {Batch} --in-flight {InFlight} --warmup {WarmUp} --sbatch {SbatchCalls} --array {ArrayTasks} --pgbench {PgbenchSeconds}{(SkipSlurm ? " --no-slurm" : "")}{(TieredCompilation ? " --tiered-jit" : "")}");

    private static int? Positive(string text, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= max ? n : null;
}
