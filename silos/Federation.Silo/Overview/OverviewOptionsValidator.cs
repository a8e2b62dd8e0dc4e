using Microsoft.Extensions.Options;

namespace Federation.Silo.Overview;

/// <summary>Checks <see cref="OverviewOptions"/> at start-up; each message names the key and what is allowed.</summary>
public sealed class OverviewOptionsValidator : IValidateOptions<OverviewOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, OverviewOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.RefreshInterval < TimeSpan.FromMilliseconds(200) || options.RefreshInterval > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{OverviewOptions.Section}:RefreshInterval must be between 00:00:00.2 and 00:05:00, got {options.RefreshInterval}");
        }

        if (options.HeartbeatInterval < TimeSpan.FromSeconds(1) || options.HeartbeatInterval > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{OverviewOptions.Section}:HeartbeatInterval must be between 00:00:01 and 00:05:00, got {options.HeartbeatInterval}");
        }

        if (options.MaxStreams is < 1 or > 1000)
        {
            failures.Add($"{OverviewOptions.Section}:MaxStreams must be between 1 and 1000, got {options.MaxStreams}");
        }

        if (options.MaxJobs is < 1 or > 100_000)
        {
            failures.Add($"{OverviewOptions.Section}:MaxJobs must be between 1 and 100000, got {options.MaxJobs}");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
