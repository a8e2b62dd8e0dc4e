using Federation.Transparency;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Transparency;

/// <summary>Checks <see cref="TransparencyOptions"/> at start-up; each message names the key and what is allowed.</summary>
public sealed class TransparencyOptionsValidator : IValidateOptions<TransparencyOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TransparencyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.HeadInterval < TimeSpan.FromSeconds(1) || options.HeadInterval > TimeSpan.FromHours(1))
        {
            failures.Add($"{TransparencyOptions.Section}:HeadInterval must be between 00:00:01 and 01:00:00, got {options.HeadInterval}");
        }

        if (options.PeerCheckInterval < TimeSpan.FromSeconds(1) || options.PeerCheckInterval > TimeSpan.FromHours(1))
        {
            failures.Add($"{TransparencyOptions.Section}:PeerCheckInterval must be between 00:00:01 and 01:00:00, got {options.PeerCheckInterval}");
        }

        if (options.RefusalsPerPeerPerMinute is < 1 or > 100_000)
        {
            failures.Add($"{TransparencyOptions.Section}:RefusalsPerPeerPerMinute must be between 1 and 100000, got {options.RefusalsPerPeerPerMinute}");
        }

        if (options.SubjectSecret is { } secret && SecretBytes(secret) is null)
        {
            failures.Add($"{TransparencyOptions.Section}:SubjectSecret must be base64 of at least {SubjectDigest.MinSecretBytes} bytes");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The secret's bytes, or null when it is not base64 of enough bytes.</summary>
    public static byte[]? SecretBytes(string secret)
    {
        var buffer = new byte[secret.Length];
        return Convert.TryFromBase64String(secret, buffer, out var written) && written >= SubjectDigest.MinSecretBytes ? buffer[..written] : null;
    }
}
