namespace Federation.Silo.Learning;

/// <summary>
/// How this nation runs the local training steps of federated runs (section <c>Federation:Learning</c>),
/// checked by <see cref="LocalStepOptionsValidator"/>. The workload itself is the allow-listed one the
/// run's spec names (<c>Federation:Workloads</c>); its work directories are under the executor's
/// <c>Federation:Executor:WorkRoot</c>.
/// </summary>
public sealed class LocalStepOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Federation:Learning";

    /// <summary>The longest one run of the training workload (a step, or <c>init</c>) may take before it is killed; default 30 minutes.</summary>
    public TimeSpan StepTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// The power of one busy CPU core, W, before PUE: a step's energy is its measured CPU seconds at this
    /// power (<c>Federation.Routing.Energy.EnergyModel</c>). Default 10 W, a server core's share of its
    /// package power under load; set the figure of your machines. 0 reports no energy.
    /// </summary>
    public double CpuWattsPerCore { get; set; } = 10;

    /// <summary>The most lines of the workload's standard output and of its standard error kept (the last ones); default 200.</summary>
    public int OutputLines { get; set; } = 200;
}
