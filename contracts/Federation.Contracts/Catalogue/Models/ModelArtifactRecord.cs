using System.Collections.Immutable;
using Federation.Contracts.Ids;

namespace Federation.Contracts.Catalogue.Models;

/// <summary>A model artifact as the catalogue holds it.</summary>
[GenerateSerializer, Immutable, Alias("fed.ModelArtifactRecord")]
public sealed record ModelArtifactRecord
{
    /// <summary>What the nation states.</summary>
    [Id(0)] public required ModelArtifactSpec Spec { get; init; }

    /// <summary>The nation that registered it.</summary>
    [Id(1)] public required NationCode HomeNation { get; init; }

    /// <summary>Active, withdrawn, or deleted (tombstone).</summary>
    [Id(2)] public CatalogueStatus Status { get; init; }

    /// <summary>Why it was withdrawn, when it was.</summary>
    [Id(3)] public string? StatusReason { get; init; }

    /// <summary>Rises by one on every change.</summary>
    [Id(4)] public int Version { get; init; }

    /// <summary>When first registered.</summary>
    [Id(5)] public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When last changed.</summary>
    [Id(6)] public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Models derived from this one; while any is, it cannot be deleted.</summary>
    [Id(7)] public ImmutableArray<string> ReferencedBy { get; init; } = [];

    /// <summary>Evaluations signed by the nations that ran them, each verified on receipt.</summary>
    [Id(8)] public ImmutableArray<SignedModelEvaluation> Evaluations { get; init; } = [];
}
