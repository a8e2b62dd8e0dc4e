using System.Collections.Immutable;

namespace Federation.Silo.Jobs.Outputs;

/// <summary>The outputs of one epoch of a job, in the nation that ran it.</summary>
/// <param name="Job">The job (<c>DE/job-7</c>).</param>
/// <param name="Epoch">The epoch.</param>
/// <param name="Nation">The nation that ran it and holds the files.</param>
/// <param name="Items">The files, by name.</param>
public sealed record OutputListing(string Job, int Epoch, string Nation, ImmutableArray<OutputFile> Items);
