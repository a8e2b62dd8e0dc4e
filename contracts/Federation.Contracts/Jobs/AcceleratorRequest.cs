using System.Collections.Immutable;
using Federation.Contracts.Ids;

namespace Federation.Contracts.Jobs;

/// <summary>The accelerators a job needs.</summary>
[GenerateSerializer, Immutable, Alias("fed.AcceleratorRequest")]
public sealed record AcceleratorRequest
{
    /// <summary>How many accelerators of one model the job runs on.</summary>
    [Id(0)] public required int Count { get; init; }

    /// <summary>Least memory per accelerator, GB; 0 when any will do.</summary>
    [Id(1)] public double MinMemoryGb { get; init; }

    /// <summary>Accelerator models the job may run on; empty when any model will do.</summary>
    [Id(2)] public ImmutableArray<AcceleratorSlug> Models { get; init; } = [];

    /// <summary>True when <paramref name="slug"/> is one of <see cref="Models"/> or any model will do.</summary>
    public bool Allows(AcceleratorSlug slug) => Models.IsDefaultOrEmpty || Models.Contains(slug);

    /// <inheritdoc />
    public bool Equals(AcceleratorRequest? other) =>
        other is not null && Count == other.Count && MinMemoryGb.Equals(other.MinMemoryGb)
        && (Models.IsDefault ? [] : Models).SequenceEqual(other.Models.IsDefault ? [] : other.Models);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Count, MinMemoryGb);
}
