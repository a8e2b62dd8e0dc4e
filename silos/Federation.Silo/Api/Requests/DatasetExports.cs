using Federation.Contracts.Catalogue.Datasets;

namespace Federation.Silo.Api.Requests;

/// <summary>The <c>exports</c> field of a dataset body: its steward's export policy.</summary>
public static class DatasetExports
{
    /// <summary>The accepted values, as the catalogue writes them.</summary>
    public const string Values = "none (nothing derived leaves home, the default), metrics, maskedUpdates (model updates only under secure aggregation) or updates";

    /// <summary>Parses <paramref name="text"/>; <see cref="ExportPolicy.None"/> when left out, and recorded under <c>exports</c> when not a policy.</summary>
    public static ExportPolicy Parse(string? text, ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ExportPolicy? policy = text?.ToLowerInvariant() switch
        {
            null or "none" => ExportPolicy.None,
            "metrics" => ExportPolicy.Metrics,
            "maskedupdates" => ExportPolicy.MaskedUpdates,
            "updates" => ExportPolicy.Updates,
            _ => null,
        };
        if (policy is null)
        {
            errors.Add("exports", $"'{text}' is not an export policy: use {Values}");
        }

        return policy ?? ExportPolicy.None;
    }
}
