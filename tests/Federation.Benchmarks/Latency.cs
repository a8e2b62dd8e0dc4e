using System.Globalization;

namespace Federation.Benchmarks;

/// <summary>Timed samples of one query and their percentiles (nearest rank).</summary>
internal sealed class Latency(string name, int rows, IReadOnlyList<TimeSpan> samples)
{
    private readonly double[] _sortedMs = [.. samples.Select(s => s.TotalMilliseconds).Order()];

    /// <summary>What was measured.</summary>
    public string Name { get; } = name;

    /// <summary>Rows the query returned.</summary>
    public int Rows { get; } = rows;

    public double P50 => Percentile(0.50);

    public double P95 => Percentile(0.95);

    public double P99 => Percentile(0.99);

    public double Max => _sortedMs[^1];

    /// <summary>The header of <see cref="Row"/>, as a Markdown table.</summary>
    public static string Header =>
        "| query | rows | samples | p50 ms | p95 ms | p99 ms | max ms |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |";

    /// <summary>One Markdown table row.</summary>
    public string Row() => string.Create(
        CultureInfo.InvariantCulture,
        $"| {Name} | {Rows} | {_sortedMs.Length} | {P50:F2} | {P95:F2} | {P99:F2} | {Max:F2} |");

    private double Percentile(double p) => _sortedMs[Math.Clamp((int)Math.Ceiling(p * _sortedMs.Length) - 1, 0, _sortedMs.Length - 1)];
}
