using Federation.Contracts.Jobs;

namespace Federation.Lifecycle.Shares;

/// <summary>What the share rules need to know of an offered job.</summary>
/// <param name="Origin">The job's origin nation.</param>
/// <param name="Local">True when the origin is this nation.</param>
/// <param name="User">The job's owner.</param>
/// <param name="Consortium">The consortium it runs for; null when none.</param>
/// <param name="Tier">Its tier.</param>
/// <param name="Course">Its course (the student tier); null otherwise.</param>
/// <param name="Accelerators">How many accelerators it wants.</param>
/// <param name="Walltime">Its walltime limit.</param>
public sealed record ShareRequest(string Origin, bool Local, string User, string? Consortium, JobTier Tier, string? Course, int Accelerators, TimeSpan Walltime);
