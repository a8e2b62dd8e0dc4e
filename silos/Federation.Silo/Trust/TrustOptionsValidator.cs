using Federation.Reference;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Trust;

/// <summary>Checks <see cref="TrustOptions"/> at start-up; each message names the key.</summary>
public sealed class TrustOptionsValidator : IValidateOptions<TrustOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TrustOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.ClockSkew < TimeSpan.FromSeconds(1) || options.ClockSkew > TimeSpan.FromHours(1))
        {
            failures.Add($"{TrustOptions.Section}:ClockSkew must be between 00:00:01 and 01:00:00, got {options.ClockSkew}");
        }

        if (!double.IsFinite(options.MinIntensityFraction) || options.MinIntensityFraction is < 0 or > 1)
        {
            failures.Add($"{TrustOptions.Section}:MinIntensityFraction must be between 0 and 1, got {options.MinIntensityFraction}");
        }

        if (!double.IsFinite(options.ReferencePue) || options.ReferencePue is < 1 or > 5)
        {
            failures.Add($"{TrustOptions.Section}:ReferencePue must be between 1 and 5, got {options.ReferencePue}");
        }

        if (!string.IsNullOrWhiteSpace(options.HourlySeriesPath))
        {
            try
            {
                HourlyIntensitySeries.Load(options.HourlySeriesPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                failures.Add($"{TrustOptions.Section}:HourlySeriesPath: {e.Message}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
