using System.Collections.Immutable;
using Federation.Contracts.Ids;

namespace Federation.Contracts.Catalogue.Datasets;

/// <summary>Where a dataset may be processed: a hard constraint on the nation that runs work on it.</summary>
/// <param name="Kind">home only, listed nations, or anywhere.</param>
/// <param name="Nations">For <see cref="ResidencyKind.ListedNations"/>, the nations besides home; empty otherwise.</param>
[GenerateSerializer, Immutable, Alias("fed.Residency")]
public sealed record Residency(
    [property: Id(0)] ResidencyKind Kind,
    [property: Id(1)] ImmutableArray<NationCode> Nations)
{
    /// <summary>Processed only at home.</summary>
    public static Residency HomeOnly { get; } = new(ResidencyKind.HomeOnly, []);

    /// <summary>True when the data may be processed in <paramref name="nation"/>.</summary>
    public bool Allows(NationCode home, NationCode nation) => Kind switch
    {
        ResidencyKind.Anywhere => true,
        ResidencyKind.ListedNations => nation == home || Nations.Contains(nation),
        _ => nation == home,
    };

    /// <inheritdoc />
    public bool Equals(Residency? other) =>
        other is not null && Kind == other.Kind && Nations.SequenceEqual(other.Nations);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, Nations.Length);
}
