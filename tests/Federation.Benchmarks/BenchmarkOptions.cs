using System.Globalization;

namespace Federation.Benchmarks;

/// <summary>How the catalogue is loaded into the read model.</summary>
internal enum LoadMode
{
    /// <summary>POST /api/v1/datasets: HTTP, validation, the dataset grain, grain storage, then the read-model upsert.</summary>
    Api,

    /// <summary>The same records straight into <c>PostgresCatalogueIndex.UpsertDatasetAsync</c>; grain storage stays empty.</summary>
    Direct,
}

/// <summary>Command-line options of the benchmark.</summary>
internal sealed record BenchmarkOptions
{
    public const int DefaultDatasets = 100_000;

    /// <summary>How many datasets to load.</summary>
    public int Datasets { get; init; } = DefaultDatasets;

    /// <summary>Which loader writes them.</summary>
    public LoadMode Load { get; init; } = LoadMode.Api;

    /// <summary>Concurrent writes while loading.</summary>
    public int Parallelism { get; init; } = 16;

    /// <summary>Timed requests per measured query.</summary>
    public int Samples { get; init; } = 200;

    /// <summary>Untimed requests per measured query, before the timed ones.</summary>
    public int WarmUp { get; init; } = 50;

    /// <summary>Seed of the generated catalogue, so that runs are comparable.</summary>
    public int Seed { get; init; } = 20_240_611;

    public const string Usage = """
        usage: dotnet run -c Release --project tests/Federation.Benchmarks -- [catalogue] [options]
          (the catalogue benchmark, the default; `-- routing --help` describes the routing-decision benchmark)
          --datasets N       datasets to load (default 100000)
          --load api|direct  api: POST /api/v1/datasets through the grains (default);
                             direct: the same records straight into the PostgreSQL read model
          --parallelism N    concurrent writes while loading (default 16)
          --samples N        timed requests per query (default 200)
          --warmup N         untimed requests per query first (default 50)
          --seed N           seed of the generated catalogue (default 20240611)
        PostgreSQL comes from FEDERATION_TEST_POSTGRES (default: the role that infra/ci/postgres-up.sh creates).
        """;

    /// <summary>Parses <paramref name="args"/>; returns null with <paramref name="error"/> set when they are wrong.</summary>
    public static BenchmarkOptions? Parse(string[] args, out string? error)
    {
        var options = new BenchmarkOptions();
        error = null;
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name is "-h" or "--help")
            {
                error = "";
                return null;
            }

            if (i + 1 >= args.Length)
            {
                error = $"{name} needs a value";
                return null;
            }

            var value = args[++i];
            switch (name)
            {
                case "--datasets" when Positive(value) is { } n:
                    options = options with { Datasets = n };
                    break;
                case "--load" when value is "api" or "direct":
                    options = options with { Load = value == "api" ? LoadMode.Api : LoadMode.Direct };
                    break;
                case "--parallelism" when Positive(value) is { } n:
                    options = options with { Parallelism = n };
                    break;
                case "--samples" when Positive(value) is { } n:
                    options = options with { Samples = n };
                    break;
                case "--warmup" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n):
                    options = options with { WarmUp = n };
                    break;
                case "--seed" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n):
                    options = options with { Seed = n };
                    break;
                default:
                    error = $"'{name} {value}' is not an option (or its value is out of range)";
                    return null;
            }
        }

        if (options.Datasets < 1000)
        {
            error = $"--datasets must be at least 1000 (deep pages need depth), got {options.Datasets}";
            return null;
        }

        return options;
    }

    /// <summary>The command that repeats this run.</summary>
    public string Command() => string.Create(
        CultureInfo.InvariantCulture,
        $"dotnet run -c Release --project tests/Federation.Benchmarks -- --datasets {Datasets} --load {(Load == LoadMode.Api ? "api" : "direct")} --parallelism {Parallelism} --samples {Samples} --warmup {WarmUp} --seed {Seed}");

    private static int? Positive(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;
}
