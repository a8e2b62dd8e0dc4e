using Federation.Contracts.Ids;
using Federation.Silo.Api.Requests;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Shares;

/// <summary>Checks <see cref="ShareOptions"/> at start-up; each message names the key.</summary>
public sealed class ShareOptionsValidator : IValidateOptions<ShareOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ShareOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!double.IsFinite(options.HalfLifeHours) || options.HalfLifeHours <= 0)
        {
            failures.Add(FormattableString.Invariant($"{ShareOptions.Section}:HalfLifeHours must be more than 0, got {options.HalfLifeHours}"));
        }
        else if (!double.IsFinite(options.StudentMaxWalltimeMinutes) || options.StudentMaxWalltimeMinutes is < 1 or > JobRequestParser.MaxStudentWalltimeMinutes)
        {
            failures.Add(FormattableString.Invariant($"{ShareOptions.Section}:StudentMaxWalltimeMinutes must be 1 to {JobRequestParser.MaxStudentWalltimeMinutes}, got {options.StudentMaxWalltimeMinutes}"));
        }
        else if (!double.IsFinite(options.ReclaimGraceSeconds) || options.ReclaimGraceSeconds < 0)
        {
            failures.Add(FormattableString.Invariant($"{ShareOptions.Section}:ReclaimGraceSeconds must not be negative, got {options.ReclaimGraceSeconds}"));
        }
        else if (!double.IsFinite(options.CheckpointGraceSeconds) || options.CheckpointGraceSeconds < 0
            || (options.CheckpointGraceSeconds > 0 && options.CheckpointGraceSeconds >= options.ReclaimGraceSeconds))
        {
            failures.Add(FormattableString.Invariant(
                $"{ShareOptions.Section}:CheckpointGraceSeconds must be 0 (no checkpoint signal) or more than 0 and less than {ShareOptions.Section}:ReclaimGraceSeconds ({options.ReclaimGraceSeconds}): a reclaimed run is stopped after it and must be gone within the reclaim grace, got {options.CheckpointGraceSeconds}"));
        }
        else if (!double.IsFinite(options.ReclaimHoldSeconds) || options.ReclaimHoldSeconds is < 0 or > 86400)
        {
            failures.Add(FormattableString.Invariant($"{ShareOptions.Section}:ReclaimHoldSeconds must be 0 to 86400, got {options.ReclaimHoldSeconds}"));
        }
        else
        {
            failures.AddRange(options.ToSettings().Validate());
        }

        if (options.ReportInterval < TimeSpan.FromSeconds(1) || options.ReportInterval > TimeSpan.FromDays(1))
        {
            failures.Add(FormattableString.Invariant($"{ShareOptions.Section}:ReportInterval must be 00:00:01 to 1.00:00:00, got {options.ReportInterval}"));
        }

        foreach (var (id, course) in options.Courses)
        {
            if (!IdSyntax.IsSlug(id))
            {
                failures.Add($"{ShareOptions.Section}:Courses:{id} is not a course id: {IdSyntax.SlugRule}");
            }

            if (string.IsNullOrWhiteSpace(course.Supervisor))
            {
                failures.Add($"{ShareOptions.Section}:Courses:{id}:Supervisor is required: the supervisor's subject, e.g. uni:prof");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
