namespace Federation.Lifecycle.Executions;

/// <summary>The accelerators foreign jobs hold or were admitted to hold, against the share of them the nation allows.</summary>
/// <param name="MaxShare">The largest fraction of the nation's accelerators foreign jobs may hold (0 to 1).</param>
/// <param name="Total">Accelerators in service.</param>
/// <param name="ForeignHeld">Accelerators held by jobs of other nations now, and wanted by those admitted that do not hold theirs yet.</param>
public sealed record ForeignShare(double MaxShare, int Total, int ForeignHeld)
{
    /// <summary>
    /// True when foreign jobs may hold <paramref name="wanted"/> more. A share of 1 caps nothing:
    /// foreign jobs may hold every accelerator, and one that finds none free queues as any job does
    /// (in Slurm too), rather than being refused for what is busy now.
    /// </summary>
    public bool Admits(int wanted) => MaxShare >= 1 || Total <= 0 || ForeignHeld + wanted <= MaxShare * Total;
}
