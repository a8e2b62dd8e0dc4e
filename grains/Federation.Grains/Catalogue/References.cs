using System.Collections.Immutable;

namespace Federation.Grains.Catalogue;

/// <summary>How catalogue entries name what references them.</summary>
public static class References
{
    /// <summary>The referrer text for a model.</summary>
    public static string OfModel(Federation.Contracts.Ids.ModelRef model) => $"model:{model}";

    /// <summary>Adds <paramref name="referrer"/> keeping the list sorted and distinct.</summary>
    public static ImmutableArray<string> With(ImmutableArray<string> referrers, string referrer) =>
        referrers.Contains(referrer) ? referrers : [.. referrers.Add(referrer).Order(StringComparer.Ordinal)];
}
