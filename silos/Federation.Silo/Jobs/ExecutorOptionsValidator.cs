using System.Globalization;
using Federation.Grains.Execution.Ledger;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Jobs;

/// <summary>
/// Checks <see cref="ExecutorOptions"/>; each message names the key and what is allowed. The account
/// of <see cref="ExecutorOptions.RunAs"/> is looked up where it is used (<c>ExecutionConfiguration</c>).
/// </summary>
public sealed class ExecutorOptionsValidator : IValidateOptions<ExecutorOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ExecutorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        Require(failures, options.SecondsPerEstimatedHour is > 0 and <= 86400, nameof(ExecutorOptions.SecondsPerEstimatedHour), "in (0, 86400]", options.SecondsPerEstimatedHour);
        Require(failures, options.ProgressSeconds is > 0 and <= 3600, nameof(ExecutorOptions.ProgressSeconds), "in (0, 3600]", options.ProgressSeconds);
        Require(failures, options.PollSeconds is > 0 and <= 60, nameof(ExecutorOptions.PollSeconds), "in (0, 60]", options.PollSeconds);
        Require(failures, options.QueuedRecheckSeconds > 0 && options.QueuedRecheckSeconds < WaitingLine.Silent.TotalSeconds, nameof(ExecutorOptions.QueuedRecheckSeconds), $"in (0, {WaitingLine.Silent.TotalSeconds})", options.QueuedRecheckSeconds);
        Require(failures, options.LedgerAuditSeconds is > 0 and <= 86400, nameof(ExecutorOptions.LedgerAuditSeconds), "in (0, 86400]", options.LedgerAuditSeconds);
        Require(failures, options.SlurmCommandSeconds is > 0 and <= 3600, nameof(ExecutorOptions.SlurmCommandSeconds), "in (0, 3600]", options.SlurmCommandSeconds);
        if (options.WorkRoot is { Length: > 0 } root && !Path.IsPathFullyQualified(root))
        {
            failures.Add($"{ExecutorOptions.Section}:WorkRoot must be an absolute path, got '{root}'");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Require(List<string> failures, bool ok, string key, string allowed, double value)
    {
        if (!ok)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{ExecutorOptions.Section}:{key} must be {allowed}, got {value}"));
        }
    }
}
