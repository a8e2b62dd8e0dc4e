using System.Net;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Peering;

/// <summary>Checks <see cref="PeeringOptions"/> at start-up; each message names the key and what is allowed.</summary>
public sealed class PeeringOptionsValidator : IValidateOptions<PeeringOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, PeeringOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!IPAddress.TryParse(options.ListenAddress, out _))
        {
            failures.Add($"{PeeringOptions.Section}:ListenAddress must be an IP address, got '{options.ListenAddress}'");
        }

        if (options.Port is < 0 or > 65535)
        {
            failures.Add($"{PeeringOptions.Section}:Port must be 0 (any free port) to 65535, got {options.Port}");
        }

        if (options.AdvertInterval < TimeSpan.FromSeconds(1) || options.AdvertInterval > TimeSpan.FromHours(1))
        {
            failures.Add($"{PeeringOptions.Section}:AdvertInterval must be between 00:00:01 and 01:00:00, got {options.AdvertInterval}");
        }

        if (options.Enabled)
        {
            if (string.IsNullOrWhiteSpace(options.RosterPath))
            {
                failures.Add($"{PeeringOptions.Section}:RosterPath is required when {PeeringOptions.Section}:CertificatePath is set");
            }

            if (!File.Exists(options.CertificatePath))
            {
                failures.Add($"{PeeringOptions.Section}:CertificatePath: {options.CertificatePath} does not exist (create it with 'fedctl nation init <CODE>')");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
