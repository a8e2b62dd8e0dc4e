using System.Collections.Immutable;
using Federation.Contracts.Jobs;

namespace Federation.Grains.Jobs;

/// <summary>One page of jobs, with the cursor of the next.</summary>
/// <param name="Items">The jobs, by global id.</param>
/// <param name="NextAfter">Pass as <see cref="JobQuery.After"/> for the next page; null on the last page.</param>
public sealed record JobPage(ImmutableArray<JobRecord> Items, string? NextAfter);
