namespace Federation.Benchmarks.Trace;

/// <summary>
/// The published GPU-cluster figures the synthetic trace is shaped by (../shared/notes/gpu-traces.md,
/// ../shared/data/gpu_trace_stats.csv), each with its source.
/// </summary>
internal static class TraceStatistics
{
    /// <summary>Median run time of a GPU job, s: Philly, InternLM/AcmeTrace data/cluster_summary.csv.</summary>
    public const double MedianRunSeconds = 874;

    /// <summary>Mean run time of a GPU job, s: Philly, same file.</summary>
    public const double MeanRunSeconds = 18006;

    /// <summary>Mean GPUs per GPU job: Philly, same file.</summary>
    public const double MeanGpus = 1.928;

    /// <summary>Share of jobs with 1, 2-4, 5-8 and more than 8 GPUs: Philly, InternLM/AcmeTrace figure/cdf_job_gpunum.pdf.</summary>
    public static readonly double[] GpuShares = [0.824, 0.096, 0.069, 0.011];

    /// <summary>
    /// GPU job submissions per hour of the users' day over the day's mean, hours 0..23: the four Helios
    /// clusters summed (S-Lab-System-Group/HeliosArtifact cluster_diurnal.pdf; peak-to-trough 2.9).
    /// </summary>
    public static readonly double[] HourShape =
        [0.91, 0.84, 0.68, 0.60, 0.57, 0.56, 0.55, 0.51, 0.56, 0.81, 1.12, 1.24, 1.20, 1.22, 1.33, 1.43, 1.49, 1.33, 1.10, 1.20, 1.31, 1.23, 1.14, 1.09];

    /// <summary>The log-normal's sigma that gives <see cref="MedianRunSeconds"/> and <see cref="MeanRunSeconds"/>: mean = median x exp(sigma^2 / 2).</summary>
    public static double RunSigma => Math.Sqrt(2 * Math.Log(MeanRunSeconds / MedianRunSeconds));
}
