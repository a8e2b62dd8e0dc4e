using System.Collections.Immutable;
using System.Globalization;

namespace Federation.Benchmarks;

/// <summary>Command-line options of the routing-decision benchmark (<c>-- routing ...</c>).</summary>
internal sealed record RoutingOptions
{
    /// <summary>Federation sizes: how many nations are candidates of every decision.</summary>
    public ImmutableArray<int> Nations { get; init; } = [3, 10, 100];

    /// <summary>GPU nodes in the whole federation, spread over the nations, behind their adverts.</summary>
    public ImmutableArray<int> Nodes { get; init; } = [1_000, 100_000];

    /// <summary>Timed decisions per configuration and router.</summary>
    public int Decisions { get; init; } = 20_000;

    /// <summary>Untimed decisions per configuration and router, before the timed ones.</summary>
    public int WarmUp { get; init; } = 2_000;

    /// <summary>Distinct jobs per federation size; decisions cycle through them.</summary>
    public int Jobs { get; init; } = 1_000;

    /// <summary>Seed of nodes, adverts and jobs, so that runs are comparable.</summary>
    public int Seed { get; init; } = 20_250_601;

    public const string Usage = """
        usage: dotnet run -c Release --project tests/Federation.Benchmarks -- routing [options]
          --nations N,N,...  federation sizes (default 3,10,100)
          --nodes N,N,...    GPU nodes in the whole federation behind the adverts (default 1000,100000)
          --decisions N      timed decisions per configuration and router (default 20000)
          --warmup N         untimed decisions per router and node count first (default 2000; at least 1 s either way)
          --jobs N           distinct jobs per federation size (default 1000)
          --seed N           seed of nodes, adverts and jobs (default 20250601)
        Needs no database: Router.Plan runs in this process on generated adverts.
        """;

    /// <summary>Parses <paramref name="args"/> (after the word <c>routing</c>); returns null with <paramref name="error"/> set when they are wrong.</summary>
    public static RoutingOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        var options = new RoutingOptions();
        error = null;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name is "-h" or "--help")
            {
                error = "";
                return null;
            }

            if (i + 1 >= args.Count)
            {
                error = $"{name} needs a value";
                return null;
            }

            var value = args[++i];
            switch (name)
            {
                case "--nations" when List(value, 1, RoutingFederation.MaxNations) is { } list:
                    options = options with { Nations = list };
                    break;
                case "--nodes" when List(value, 1, 10_000_000) is { } list:
                    options = options with { Nodes = list };
                    break;
                case "--decisions" when Positive(value) is { } n:
                    options = options with { Decisions = n };
                    break;
                case "--warmup" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n):
                    options = options with { WarmUp = n };
                    break;
                case "--jobs" when Positive(value) is { } n:
                    options = options with { Jobs = n };
                    break;
                case "--seed" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n):
                    options = options with { Seed = n };
                    break;
                default:
                    error = $"'{name} {value}' is not an option of the routing benchmark (or its value is out of range)";
                    return null;
            }
        }

        return options;
    }

    /// <summary>The command that repeats this run.</summary>
    public string Command() => string.Create(
        CultureInfo.InvariantCulture,
        $"dotnet run -c Release --project tests/Federation.Benchmarks -- routing --nations {string.Join(',', Nations)} --nodes {string.Join(',', Nodes)} --decisions {Decisions} --warmup {WarmUp} --jobs {Jobs} --seed {Seed}");

    private static int? Positive(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;

    private static ImmutableArray<int>? List(string value, int min, int max)
    {
        var parts = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var numbers = parts.Select(Positive).ToList();
        return parts.Length > 0 && numbers.All(n => n >= min && n <= max)
            ? [.. numbers.Select(n => n!.Value).Distinct().Order()]
            : null;
    }
}
