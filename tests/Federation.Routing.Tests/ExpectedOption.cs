using Federation.Contracts.Ids;

namespace Federation.Routing.Tests;

/// <summary>One fitting accelerator model of a nation as the test oracle scores it, from the formula alone.</summary>
/// <param name="Slug">The model.</param>
/// <param name="AcceleratorHours">The work converted to this model, accelerator-hours.</param>
/// <param name="RunHours">Accelerator-hours over the requested count.</param>
/// <param name="WaitHours">Expected wait from the queue and the free accelerators.</param>
/// <param name="Total">The weighted total.</param>
/// <param name="WithinWalltime">The run fits the walltime limit (or there is none).</param>
/// <param name="MeetsDeadline">Wait plus run ends by the deadline (or there is none).</param>
internal sealed record ExpectedOption(
    AcceleratorSlug Slug,
    double AcceleratorHours,
    double RunHours,
    double WaitHours,
    double Total,
    bool WithinWalltime,
    bool MeetsDeadline)
{
    /// <summary>The job may run on this model.</summary>
    public bool Usable => WithinWalltime && MeetsDeadline;
}
