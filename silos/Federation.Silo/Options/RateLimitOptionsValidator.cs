using Microsoft.Extensions.Options;

namespace Federation.Silo.Options;

/// <summary>Checks <see cref="RateLimitOptions"/> at start-up; each message names the key.</summary>
public sealed class RateLimitOptionsValidator : IValidateOptions<RateLimitOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, RateLimitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        foreach (var (value, key) in new[]
        {
            (options.PermitsPerSecond, nameof(RateLimitOptions.PermitsPerSecond)), (options.Burst, nameof(RateLimitOptions.Burst)),
            (options.PeerPermitsPerSecond, nameof(RateLimitOptions.PeerPermitsPerSecond)), (options.PeerBurst, nameof(RateLimitOptions.PeerBurst)),
        })
        {
            if (value < 1)
            {
                failures.Add($"Federation:RateLimits:{key} must be at least 1, got {value}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
