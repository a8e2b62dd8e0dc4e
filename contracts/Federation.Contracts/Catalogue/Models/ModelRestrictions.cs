using System.Collections.Immutable;
using Federation.Contracts.Ids;

namespace Federation.Contracts.Catalogue.Models;

/// <summary>
/// Where a model's artifact may go. <see cref="MayLeave"/> false (the default): its bytes never
/// leave the nation that holds them. True with no <see cref="Nations"/>: any nation on the roster may
/// pull them. True with nations: only those.
/// </summary>
[GenerateSerializer, Immutable, Alias("fed.ModelRestrictions")]
public sealed record ModelRestrictions
{
    /// <summary>Nothing leaves: the default of a model registered without restrictions.</summary>
    public static ModelRestrictions StaysHome { get; } = new();

    /// <summary>Whether the artifact may leave the nation at all.</summary>
    [Id(0)] public bool MayLeave { get; init; }

    /// <summary>When not empty, the only nations the artifact may go to.</summary>
    [Id(1)] public ImmutableArray<NationCode> Nations { get; init; } = [];

    /// <summary>Whether <paramref name="peer"/> may receive the artifact; <paramref name="rule"/> says why not.</summary>
    public bool Allows(NationCode peer, out string rule)
    {
        if (!MayLeave)
        {
            rule = "restrictions.mayLeave is false: the artifact does not leave its nation";
            return false;
        }

        if (!Nations.IsDefaultOrEmpty && !Nations.Contains(peer))
        {
            rule = $"restrictions.nations lists {string.Join(", ", Nations)}, not {peer}";
            return false;
        }

        rule = "";
        return true;
    }

    /// <inheritdoc />
    public bool Equals(ModelRestrictions? other) =>
        other is not null && MayLeave == other.MayLeave && Nations.AsSpan().SequenceEqual(other.Nations.AsSpan());

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(MayLeave, Nations.IsDefault ? 0 : Nations.Length);
}
