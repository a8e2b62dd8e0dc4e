namespace Federation.Benchmarks;

/// <summary>One measured arm of the throughput benchmark.</summary>
/// <param name="Name">What was measured.</param>
/// <param name="Count">Jobs (or transactions) in the measurement.</param>
/// <param name="Seconds">Wall time of the measurement.</param>
/// <param name="Unit">jobs/s or tps.</param>
/// <param name="P50Ms">Median latency, when meaningful.</param>
/// <param name="P99Ms">99th percentile latency, when meaningful.</param>
/// <param name="LatencyOf">What the latency columns time.</param>
internal sealed record ThroughputArm(string Name, long Count, double Seconds, string Unit, double? P50Ms = null, double? P99Ms = null, string? LatencyOf = null)
{
    /// <summary>Jobs (or transactions) per second.</summary>
    public double Rate => Count / Seconds;
}
