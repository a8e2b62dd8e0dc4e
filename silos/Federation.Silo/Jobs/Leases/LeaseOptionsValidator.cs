using System.Globalization;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Jobs.Leases;

/// <summary>Checks <see cref="LeaseOptions"/> at start-up; each message names the key and what is allowed.</summary>
public sealed class LeaseOptionsValidator : IValidateOptions<LeaseOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, LeaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        Require(failures, options.RecheckSeconds is >= 1 and <= 3600, nameof(LeaseOptions.RecheckSeconds), "1 to 3600", options.RecheckSeconds);
        Require(failures, options.WakeRetrySeconds is >= 1 and <= 3600, nameof(LeaseOptions.WakeRetrySeconds), "1 to 3600", options.WakeRetrySeconds);
        Require(failures, options.SweepSeconds is >= 1 and <= 3600, nameof(LeaseOptions.SweepSeconds), "1 to 3600", options.SweepSeconds);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    // NaN fails every range above, so it is refused too.
    private static void Require(List<string> failures, bool ok, string key, string allowed, double value)
    {
        if (!ok)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{LeaseOptions.Section}:{key} must be {allowed}, got {value}"));
        }
    }
}
