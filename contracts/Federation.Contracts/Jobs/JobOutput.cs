namespace Federation.Contracts.Jobs;

/// <summary>An output a job produces, by name (a file or directory in the job's output area).</summary>
/// <param name="Name">Output name, a slug.</param>
/// <param name="Description">What it holds.</param>
[GenerateSerializer, Immutable, Alias("fed.JobOutput")]
public sealed record JobOutput(
    [property: Id(0)] string Name,
    [property: Id(1)] string Description);
