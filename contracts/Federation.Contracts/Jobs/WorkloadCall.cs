using System.Collections.Immutable;

namespace Federation.Contracts.Jobs;

/// <summary>
/// The workload a job runs: a name and version from the executing nation's allow-list, and its
/// arguments. Never a command line.
/// </summary>
[GenerateSerializer, Immutable, Alias("fed.WorkloadCall")]
public sealed record WorkloadCall
{
    /// <summary>Workload name.</summary>
    [Id(0)] public required string Name { get; init; }

    /// <summary>Workload version.</summary>
    [Id(1)] public required string Version { get; init; }

    /// <summary>Arguments by parameter name.</summary>
    [Id(2)] public ImmutableSortedDictionary<string, string> Arguments { get; init; } = ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);

    /// <inheritdoc />
    public override string ToString() => $"{Name}@{Version}";

    /// <inheritdoc />
    public bool Equals(WorkloadCall? other) =>
        other is not null && Name == other.Name && Version == other.Version && Arguments.SequenceEqual(other.Arguments);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, Version, Arguments.Count);
}
