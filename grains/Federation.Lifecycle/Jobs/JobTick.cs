namespace Federation.Lifecycle.Jobs;

/// <summary>Time passes: leases expire, late executions are probed, pending jobs are planned again.</summary>
public sealed record JobTick : JobInput;
