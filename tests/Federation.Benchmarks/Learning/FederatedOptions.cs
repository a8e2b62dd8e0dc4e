using System.Globalization;

namespace Federation.Benchmarks.Learning;

/// <summary>The options of <c>federated</c>; <see cref="Parse"/> refuses a bad value naming the option.</summary>
internal sealed record FederatedOptions
{
    /// <summary>Rows per nation of the default (benchmark) size; also the <c>full</c> test profile's (Federation.Testing.TrainingSizes).</summary>
    public const int DefaultRows = Federation.Testing.TrainingSizes.BenchmarkRows;

    public const string Usage = """
        usage: federated [--rows N] [--rounds R] [--nations FR,DE,SE] [--epochs E] [--test-rows T] [--seed S] [--secagg on|off] [--smoke]
          --rows       generated training rows per nation (default 10000; the full test profile's size)
          --rounds     federated rounds (default 8, as examples/jobs/federated-training.json)
          --nations    the data nations, at least 3 (default FR,DE,SE); the first aggregates
          --epochs     local epochs per round (default 2, as the example job)
          --test-rows  held-out rows per nation, drawn with another seed (default 2000)
          --seed       data, initial weights and batch order (default 1)
          --secagg     on (default): masked updates through the silos' secure-aggregation deciders; off: plain FedAvg
          --smoke      CI size: 500 rows per nation, 2 rounds, 500 test rows (under 60 s)
        """;

    public int Rows { get; init; } = DefaultRows;

    public int Rounds { get; init; } = 8;

    public IReadOnlyList<string> Nations { get; init; } = ["FR", "DE", "SE"];

    public int Epochs { get; init; } = 2;

    public int TestRows { get; init; } = 2000;

    public long Seed { get; init; } = 1;

    public bool SecureAggregation { get; init; } = true;

    public bool Smoke { get; init; }

    // The example job's other training arguments (examples/jobs/federated-training.json).
    public double LearningRate { get; init; } = 0.1;

    public int BatchSize { get; init; } = 32;

    public int HiddenUnits { get; init; } = 32;

    public static FederatedOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        var options = new FederatedOptions();
        error = null;
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : null;
            switch (args[i])
            {
                case "--help" or "-h":
                    return null;
                case "--smoke":
                    options = options with { Rows = 500, Rounds = 2, TestRows = 500, Smoke = true };
                    break;
                case "--rows" when Int(value) is { } rows && rows is >= 50 and <= 1_000_000:
                    options = options with { Rows = rows };
                    i++;
                    break;
                case "--rounds" when Int(value) is { } rounds && rounds is >= 1 and <= 200:
                    options = options with { Rounds = rounds };
                    i++;
                    break;
                case "--epochs" when Int(value) is { } epochs && epochs is >= 1 and <= 100:
                    options = options with { Epochs = epochs };
                    i++;
                    break;
                case "--test-rows" when Int(value) is { } test && test is >= 50 and <= 1_000_000:
                    options = options with { TestRows = test };
                    i++;
                    break;
                case "--seed" when long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed):
                    options = options with { Seed = seed };
                    i++;
                    break;
                case "--secagg" when value is "on" or "off":
                    options = options with { SecureAggregation = value == "on" };
                    i++;
                    break;
                case "--nations" when ParseNations(value) is { } nations:
                    options = options with { Nations = nations };
                    i++;
                    break;
                default:
                    error = $"federated: '{args[i]}' is not an option or its value is missing or out of range (--nations: 3 to 16 distinct codes of 2 capital letters)";
                    return null;
            }
        }

        return options;
    }

    public static string Command(IReadOnlyList<string> args) =>
        $"dotnet run -c Release --project tests/Federation.Benchmarks -- federated {string.Join(' ', args)}".TrimEnd();

    private static int? Int(string? value) => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static string[]? ParseNations(string? value)
    {
        var codes = (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return codes.Length is >= 3 and <= 16 && codes.Distinct(StringComparer.Ordinal).Count() == codes.Length
            && codes.All(c => c.Length == 2 && c.All(char.IsAsciiLetterUpper))
            ? codes
            : null;
    }
}
