namespace Federation.Lifecycle.Executions;

/// <summary>The accelerators foreign jobs hold now, against the share of them the nation allows.</summary>
/// <param name="MaxShare">The largest fraction of the nation's accelerators foreign jobs may hold (0 to 1).</param>
/// <param name="Total">Accelerators in service.</param>
/// <param name="ForeignHeld">Accelerators held by jobs of other nations now.</param>
public sealed record ForeignShare(double MaxShare, int Total, int ForeignHeld);
