using Federation.Contracts.Peers;
using Federation.Reference;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Carbon;

/// <summary>Checks <see cref="CarbonOptions"/> at start-up; each message names <c>Federation:Carbon:Property</c>.</summary>
public sealed class CarbonOptionsValidator : IValidateOptions<CarbonOptions>
{
    /// <summary>The sources <see cref="CarbonOptions.Source"/> may name.</summary>
    public static IReadOnlyList<string> Sources { get; } = ["annual", "series", "http"];

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, CarbonOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var section = CarbonOptions.Section;
        if (!Sources.Contains(options.Source, StringComparer.Ordinal))
        {
            failures.Add($"{section}:Source must be one of {string.Join(", ", Sources)}, got '{options.Source}'");
        }

        if (options.Source == "series" && !string.IsNullOrWhiteSpace(options.SeriesPath))
        {
            try
            {
                HourlyIntensitySeries.Load(options.SeriesPath);
            }
            catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
            {
                failures.Add($"{section}:SeriesPath: {e.Message}");
            }
        }

        if (options.Source == "http")
        {
            if (!Uri.TryCreate(options.HttpBaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                failures.Add($"{section}:HttpBaseUrl must be an absolute http or https address when Source is http, got '{options.HttpBaseUrl}'");
            }

            if (options.HttpLocation is { Length: > 100 })
            {
                failures.Add($"{section}:HttpLocation must be at most 100 characters");
            }
        }

        if (options.HttpTimeoutSeconds is < 1 or > 60)
        {
            failures.Add($"{section}:HttpTimeoutSeconds must be 1 to 60, got {options.HttpTimeoutSeconds}");
        }

        if (options.Hours < 1 || options.Hours > IntensityForecast.MaxHours)
        {
            failures.Add($"{section}:Hours must be 1 to {IntensityForecast.MaxHours}, got {options.Hours}");
        }

        if (options.RefreshMinutes is < 1 or > 1440)
        {
            failures.Add($"{section}:RefreshMinutes must be 1 to 1440, got {options.RefreshMinutes}");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
