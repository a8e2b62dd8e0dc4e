using Microsoft.Extensions.Options;

namespace Federation.Silo.Jobs.Dispatch;

/// <summary>Checks <see cref="MessageBatchOptions"/> at start-up; every failure names <c>Federation:Peering:Batch:Property</c> and its range.</summary>
public sealed class MessageBatchOptionsValidator : IValidateOptions<MessageBatchOptions>
{
    /// <summary>Most messages a batch may be configured to hold.</summary>
    public const int MaxMessagesLimit = 4096;

    /// <summary>Fewest bytes a batch may be configured to hold.</summary>
    public const long MinBytes = 4096;

    /// <summary>Most bytes a batch may be configured to hold.</summary>
    public const long MaxBytesLimit = 16 * 1024 * 1024;

    /// <summary>Longest configurable flush delay.</summary>
    public const int MaxFlushMilliseconds = 1000;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, MessageBatchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.MaxMessages is < 1 or > MaxMessagesLimit)
        {
            failures.Add($"{MessageBatchOptions.Section}:MaxMessages must be 1 to {MaxMessagesLimit}, got {options.MaxMessages}");
        }

        if (options.MaxBytes is < MinBytes or > MaxBytesLimit)
        {
            failures.Add($"{MessageBatchOptions.Section}:MaxBytes must be {MinBytes} to {MaxBytesLimit} bytes, got {options.MaxBytes}");
        }

        if (options.FlushMilliseconds is < 0 or > MaxFlushMilliseconds)
        {
            failures.Add($"{MessageBatchOptions.Section}:FlushMilliseconds must be 0 to {MaxFlushMilliseconds}, got {options.FlushMilliseconds}");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
