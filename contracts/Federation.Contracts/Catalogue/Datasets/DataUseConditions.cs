using System.Collections.Immutable;
using Federation.Contracts.Ids;

namespace Federation.Contracts.Catalogue.Datasets;

/// <summary>
/// A dataset's data-use conditions in GA4GH DUO terms: one permission, its modifiers, and the
/// parameters that some of them need.
/// </summary>
/// <param name="Permission">The DUO permission.</param>
/// <param name="DiseaseTerm">For DS: the disease (e.g. a MONDO or DOID id such as <c>MONDO:0004992</c>).</param>
/// <param name="Modifiers">The DUO modifiers, without duplicates.</param>
/// <param name="Nations">For GS: the nations where use is allowed.</param>
/// <param name="Institutions">For IS: the institutions allowed.</param>
/// <param name="Users">For US: the users allowed.</param>
/// <param name="Projects">For PS: the projects allowed.</param>
/// <param name="ValidUntil">For TS: the date after which use ends.</param>
/// <param name="MoratoriumUntil">For MOR: the date before which results may not be published.</param>
[GenerateSerializer, Immutable, Alias("fed.DataUseConditions")]
public sealed record DataUseConditions(
    [property: Id(0)] DuoPermission Permission,
    [property: Id(1)] string? DiseaseTerm,
    [property: Id(2)] ImmutableArray<DuoModifier> Modifiers,
    [property: Id(3)] ImmutableArray<NationCode> Nations,
    [property: Id(4)] ImmutableArray<string> Institutions,
    [property: Id(5)] ImmutableArray<string> Users,
    [property: Id(6)] ImmutableArray<string> Projects,
    [property: Id(7)] DateOnly? ValidUntil,
    [property: Id(8)] DateOnly? MoratoriumUntil)
{
    /// <summary>No restriction.</summary>
    public static DataUseConditions Unrestricted { get; } = new(DuoPermission.NRES, null, [], [], [], [], [], null, null);

    /// <inheritdoc />
    public bool Equals(DataUseConditions? other) =>
        other is not null && Permission == other.Permission && DiseaseTerm == other.DiseaseTerm
        && Modifiers.SequenceEqual(other.Modifiers) && Nations.SequenceEqual(other.Nations)
        && Institutions.SequenceEqual(other.Institutions) && Users.SequenceEqual(other.Users)
        && Projects.SequenceEqual(other.Projects) && ValidUntil == other.ValidUntil && MoratoriumUntil == other.MoratoriumUntil;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Permission, DiseaseTerm, Modifiers.Length);
}
