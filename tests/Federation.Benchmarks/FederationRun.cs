namespace Federation.Benchmarks;

/// <summary>What one federation run of the throughput benchmark measured (one silo count per nation).</summary>
internal sealed record FederationRun
{
    /// <summary>The benchmark's options.</summary>
    public required ThroughputOptions Options { get; init; }

    /// <summary>Silos per nation in this run.</summary>
    public required int SilosPerNation { get; init; }

    /// <summary>Whether the silos appended to their transparency logs.</summary>
    public required bool TransparencyLog { get; init; }

    /// <summary>Whether the silos ran their telemetry (metrics and a span file), or null for the silos' defaults (<c>--telemetry</c> not given).</summary>
    public bool? Telemetry { get; init; }

    /// <summary>Lines (spans) in the nations' span files at the end of the run; 0 without telemetry.</summary>
    public long SpanLines { get; init; }

    /// <summary>Every silo process of the run.</summary>
    public required IReadOnlyList<ThroughputSilo> Silos { get; init; }

    /// <summary>Timed jobs DE acknowledged (created, committed).</summary>
    public required int Acknowledged { get; init; }

    /// <summary>When the last batch was answered.</summary>
    public required TimeSpan AcknowledgedAt { get; init; }

    /// <summary>Timed jobs with an admission committed in FR when the clock stopped.</summary>
    public required int Admitted { get; init; }

    /// <summary>When the last one was seen committed.</summary>
    public required TimeSpan AdmittedAt { get; init; }

    /// <summary>Submit -> admitted of jobs sent one at a time, from DE's events, in ms.</summary>
    public required IReadOnlyList<double> LowLoadLatency { get; init; }

    /// <summary>The same jobs timed by the client, from before the POST to the admitted event, in ms.</summary>
    public required IReadOnlyList<double> LowLoadClient { get; init; }

    /// <summary>Submit -> admitted of (a sample of) the timed jobs, from DE's events, in ms.</summary>
    public required IReadOnlyList<double> SaturationLatency { get; init; }

    /// <summary>CPU counters at the start and end of the timed window.</summary>
    public required (CpuSample Start, CpuSample End) Cpu { get; init; }

    /// <summary>Committed transactions per nation at the start and end of the timed window.</summary>
    public required (Dictionary<string, long> Start, Dictionary<string, long> End) Commits { get; init; }

    /// <summary>WAL flushes and position at the start and end of the timed window.</summary>
    public required ((long Syncs, long Bytes) Start, (long Syncs, long Bytes) End) Wal { get; init; }

    /// <summary>Rows written per nation and table at the start and end of the timed window.</summary>
    public required (Dictionary<string, Dictionary<string, long>> Start, Dictionary<string, Dictionary<string, long>> End) RowWrites { get; init; }

    /// <summary>The jobs storage's group-commit statistics per silo, from the logs (warm-up included).</summary>
    public required Dictionary<string, (long Writes, long Transactions, long Largest)> GroupCommit { get; init; }

    /// <summary>
    /// Per silo and peer, the batched transport's totals (messages, HTTPS requests) in the last statistics line each silo
    /// logged before the timed window and 11 s after it (the silos log them every 10 s).
    /// </summary>
    public required (Dictionary<string, Dictionary<string, BatchCount>> Start, Dictionary<string, Dictionary<string, BatchCount>> End) Batches { get; init; }

    /// <summary><c>Router.Decide</c> timed on a thread of the client during the timed window, per configuration (none when not asked).</summary>
    public required IReadOnlyList<(RoutingSetup Setup, DecisionLatency Latency)> Routing { get; init; }

    /// <summary>Processor time of the client's routing thread during the timed window (left out of the client's CPU per job).</summary>
    public required TimeSpan RoutingThreadCpu { get; init; }

    /// <summary>The lost-jobs check over every job of the run.</summary>
    public required LostJobs Lost { get; init; }

    /// <summary>The federation's row of the table: submitted to admission committed in FR.</summary>
    public ThroughputArm Arm => new(
        $"Federation, {Per}: submit in DE (batch API) -> admission committed in FR{(Admitted < Options.Jobs ? $" (ONLY {Admitted:N0} of {Options.Jobs:N0} in time)" : "")}",
        Admitted,
        AdmittedAt.TotalSeconds,
        "jobs/s",
        JobLatency.Percentile(SaturationLatency, 0.5),
        JobLatency.Percentile(SaturationLatency, 0.99),
        "submit -> admitted at saturation (DE's events)");

    /// <summary>The row of DE's acknowledgements.</summary>
    public ThroughputArm AcknowledgedArm => new($"Federation, {Per}: submit in DE (batch API) -> acknowledged (committed in DE)", Acknowledged, AcknowledgedAt.TotalSeconds, "jobs/s");

    /// <summary>"1 silo per nation" or "2 silos per nation", ", log off" when the transparency log was off, and ", telemetry on|off" when it was chosen.</summary>
    public string Per => (SilosPerNation == 1 ? "1 silo per nation" : $"{SilosPerNation} silos per nation") + (TransparencyLog ? "" : ", log off")
        + (Telemetry is { } telemetry ? $", telemetry {(telemetry ? "on" : "off")}" : "");
}
