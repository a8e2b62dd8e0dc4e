using System.Globalization;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Jobs;

/// <summary>Checks <see cref="JobOptions"/> at start-up; each message names the key and what is allowed.</summary>
public sealed class JobOptionsValidator : IValidateOptions<JobOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, JobOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        Require(failures, options.LeaseSeconds is >= 1 and <= 3600, nameof(JobOptions.LeaseSeconds), "1 to 3600", options.LeaseSeconds);
        Require(failures, options.GraceSeconds is >= 0 and <= 3600, nameof(JobOptions.GraceSeconds), "0 to 3600", options.GraceSeconds);
        Require(failures, options.MarginSeconds >= 0 && options.MarginSeconds < options.LeaseSeconds, nameof(JobOptions.MarginSeconds),
            "0 or more and less than LeaseSeconds", options.MarginSeconds);
        Require(failures, options.ReplanSeconds is >= 0.1 and <= 3600, nameof(JobOptions.ReplanSeconds), "0.1 to 3600", options.ReplanSeconds);
        Require(failures, options.RetentionDays is > 0 and <= 3650, nameof(JobOptions.RetentionDays), "more than 0 and at most 3650", options.RetentionDays);
        Require(failures, options.OfferAttempts is >= 1 and <= 100, nameof(JobOptions.OfferAttempts), "1 to 100", options.OfferAttempts);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    // NaN fails every range above, so it is refused too.
    private static void Require(List<string> failures, bool ok, string key, string allowed, double value)
    {
        if (!ok)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{JobOptions.Section}:{key} must be {allowed}, got {value}"));
        }
    }
}
