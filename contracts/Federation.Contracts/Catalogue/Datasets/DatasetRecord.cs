using System.Collections.Immutable;

namespace Federation.Contracts.Catalogue.Datasets;

/// <summary>A dataset as the catalogue holds it: the spec plus its life.</summary>
[GenerateSerializer, Immutable, Alias("fed.DatasetRecord")]
public sealed record DatasetRecord
{
    /// <summary>What the nation states.</summary>
    [Id(0)] public required DatasetSpec Spec { get; init; }

    /// <summary>Active, withdrawn, or deleted (tombstone).</summary>
    [Id(1)] public CatalogueStatus Status { get; init; }

    /// <summary>Why it was withdrawn, when it was.</summary>
    [Id(2)] public string? StatusReason { get; init; }

    /// <summary>Rises by one on every change; the HTTP ETag and the read model's guard.</summary>
    [Id(3)] public int Version { get; init; }

    /// <summary>When first registered.</summary>
    [Id(4)] public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When last changed.</summary>
    [Id(5)] public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>What references this dataset (e.g. <c>model:name@version</c>); while any does, it cannot be deleted.</summary>
    [Id(6)] public ImmutableArray<string> ReferencedBy { get; init; } = [];
}
