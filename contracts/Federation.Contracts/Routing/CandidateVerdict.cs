using System.Collections.Immutable;
using Federation.Contracts.Ids;

namespace Federation.Contracts.Routing;

/// <summary>What the router concluded about one candidate nation.</summary>
[GenerateSerializer, Immutable, Alias("fed.CandidateVerdict")]
public sealed record CandidateVerdict
{
    /// <summary>The candidate.</summary>
    [Id(0)] public required NationCode Nation { get; init; }

    /// <summary>1 for the best feasible nation, 2 for the next, ...; null when excluded.</summary>
    [Id(1)] public int? Rank { get; init; }

    /// <summary>Every filter that excluded it; empty when feasible.</summary>
    [Id(2)] public ImmutableArray<Exclusion> Exclusions { get; init; } = [];

    /// <summary>The score components, when feasible.</summary>
    [Id(3)] public ScoreBreakdown? Score { get; init; }

    /// <summary>What the router did not take on trust from the candidate's advert (a figure replaced by the agreed reference); empty when nothing.</summary>
    [Id(4)] public ImmutableArray<string> Notes { get; init; } = [];

    /// <summary>True when no filter excluded it.</summary>
    public bool Feasible => Exclusions.IsDefaultOrEmpty;

    /// <inheritdoc />
    public bool Equals(CandidateVerdict? other) =>
        other is not null && Nation == other.Nation && Rank == other.Rank && Score == other.Score
        && (Exclusions.IsDefault ? [] : Exclusions).SequenceEqual(other.Exclusions.IsDefault ? [] : other.Exclusions)
        && (Notes.IsDefault ? [] : Notes).SequenceEqual(other.Notes.IsDefault ? [] : other.Notes);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Nation, Rank);
}
