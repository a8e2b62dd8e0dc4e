using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Ids;

namespace Federation.Silo.Jobs.Staging;

/// <summary>How residency rules read in reasons: "may be processed only in FR", "... only in FR, DE and SE".</summary>
public static class ResidencyText
{
    /// <summary>"may be processed only in FR" (or "may be processed anywhere").</summary>
    public static string Describe(Residency residency, NationCode home) => residency.Kind == ResidencyKind.Anywhere
        ? "may be processed anywhere"
        : $"may be processed only in {Places(residency, home)}";

    /// <summary>The nations where it may be processed: "FR", "FR, DE and SE", or "any member nation".</summary>
    public static string Places(Residency residency, NationCode home)
    {
        if (residency.Kind == ResidencyKind.Anywhere)
        {
            return "any member nation";
        }

        var nations = residency.Kind == ResidencyKind.ListedNations
            ? new[] { home.Value }.Concat(residency.Nations.Select(n => n.Value).Where(n => n != home.Value)).ToList()
            : [home.Value];
        return nations.Count == 1 ? nations[0] : $"{string.Join(", ", nations.Take(nations.Count - 1))} and {nations[^1]}";
    }

    /// <summary>The residency kind as the API writes it (<c>homeOnly</c>, <c>listedNations</c>, <c>anywhere</c>).</summary>
    public static string KindName(ResidencyKind kind) => kind switch
    {
        ResidencyKind.Anywhere => "anywhere",
        ResidencyKind.ListedNations => "listedNations",
        _ => "homeOnly",
    };
}
