using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Ids;

namespace Federation.Routing;

/// <summary>
/// Applies a dataset's <see cref="Residency"/> to the nation where the data would be
/// <em>processed</em>, with a reason people can read in a decision record.
/// </summary>
public static class ResidencyCheck
{
    /// <summary>True when <paramref name="dataset"/> may be processed in <paramref name="processingNation"/>, with the reason.</summary>
    /// <param name="residency">The dataset's residency.</param>
    /// <param name="home">The dataset's home nation.</param>
    /// <param name="processingNation">Where the data would be processed.</param>
    /// <param name="dataset">The dataset, named in the reason (e.g. <c>FR/cancer-registry</c>).</param>
    public static (bool Allowed, string Reason) Allows(Residency residency, NationCode home, NationCode processingNation, DatasetRef dataset)
    {
        var allowed = residency.Allows(home, processingNation);

        var where = residency.Kind switch
        {
            ResidencyKind.Anywhere => "in any member nation",
            ResidencyKind.ListedNations => $"only in {string.Join(", ", Listed(residency, home))}",
            _ => $"only in {home}",
        };

        var reason = allowed
            ? $"dataset {dataset} may be processed {where}, which includes {processingNation}"
            : $"dataset {dataset} may be processed {where}, not in {processingNation}";
        return (allowed, reason);
    }

    /// <summary>As <see cref="Allows(Residency, NationCode, NationCode, DatasetRef)"/>, with the home nation taken from <paramref name="dataset"/>.</summary>
    public static (bool Allowed, string Reason) Allows(Residency residency, DatasetRef dataset, NationCode processingNation) =>
        Allows(residency, dataset.Nation, processingNation, dataset);

    private static IEnumerable<NationCode> Listed(Residency residency, NationCode home) =>
        residency.Nations.IsDefault ? [home] : new[] { home }.Concat(residency.Nations.Where(n => n != home));
}
