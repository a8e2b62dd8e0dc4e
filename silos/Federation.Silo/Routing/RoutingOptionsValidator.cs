using System.Globalization;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Routing;

/// <summary>Checks <see cref="RoutingOptions"/> at start-up: every weight is a finite number, 0 or more.</summary>
public sealed class RoutingOptionsValidator : IValidateOptions<RoutingOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, RoutingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        foreach (var (value, key) in new[]
        {
            (options.PerGco2e, nameof(RoutingOptions.PerGco2e)), (options.PerWaitHour, nameof(RoutingOptions.PerWaitHour)),
            (options.TransferKwhPerGb, nameof(RoutingOptions.TransferKwhPerGb)), (options.QueuedJobHours, nameof(RoutingOptions.QueuedJobHours)),
        })
        {
            if (!double.IsFinite(value) || value < 0)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"{RoutingOptions.Section}:{key} must be a number >= 0, got {value}"));
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
