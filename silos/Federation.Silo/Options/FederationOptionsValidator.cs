using System.Net;
using Federation.Contracts.Ids;
using Federation.Reference;
using Federation.Silo.Hosting;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Options;

/// <summary>Checks <see cref="FederationOptions"/> at start-up; each message names the key.</summary>
public sealed class FederationOptionsValidator(ReferenceTables reference) : IValidateOptions<FederationOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, FederationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!NationCode.TryParse(options.Nation.Code, out _, out var codeError))
        {
            failures.Add($"Federation:Nation:Code: {codeError}");
        }

        if (options.Nation.Pue is < 1 or > 5)
        {
            failures.Add($"Federation:Nation:Pue must be between 1 and 5, got {options.Nation.Pue}");
        }

        var zone = options.Nation.GridZone ?? options.Nation.Code;
        if (reference.FindGridZone(zone) is null)
        {
            failures.Add($"Federation:Nation:GridZone '{zone}' has no carbon intensity; add Federation:Reference:GridIntensity:{zone} (gCO2e/kWh) or pick a zone of the shipped table");
        }

        if (options.Nation.DefaultResidency is not ("homeOnly" or "anywhere"))
        {
            failures.Add($"Federation:Nation:DefaultResidency must be homeOnly or anywhere, got '{options.Nation.DefaultResidency}'");
        }

        if (options.Nation.DefaultVisibility is not ("public" or "private"))
        {
            failures.Add($"Federation:Nation:DefaultVisibility must be public or private, got '{options.Nation.DefaultVisibility}'");
        }

        if (options.Nation.MaxForeignShare is < 0 or > 1)
        {
            failures.Add($"Federation:Nation:MaxForeignShare must be between 0 and 1, got {options.Nation.MaxForeignShare}");
        }

        foreach (var (port, key) in new[] { (options.SiloPort, "SiloPort"), (options.GatewayPort, "GatewayPort") })
        {
            if (port is < 0 or > 65535)
            {
                failures.Add($"Federation:{key} must be 0 (any free port) to 65535, got {port}");
            }
        }

        if (!IPAddress.TryParse(options.AdvertisedAddress, out _))
        {
            failures.Add($"Federation:AdvertisedAddress must be an IP address, got '{options.AdvertisedAddress}'");
        }

        if (string.IsNullOrWhiteSpace(options.Urls))
        {
            failures.Add("Federation:Urls must name at least one http or https URL, e.g. http://127.0.0.1:5180");
        }
        else if (string.IsNullOrWhiteSpace(options.Postgres.ConnectionString) && options.Auth.AdminTokens.Count == 0
            && Exposure.NonLoopback(options.Urls) is { Count: > 0 } exposed)
        {
            failures.Add($"Federation:Urls binds {string.Join(", ", exposed)}, beyond this machine, but embedded mode is open without authentication. " +
                "Bind to 127.0.0.1 (the default), or set Federation:Auth:AdminTokens:0=<long random secret> so that it requires tokens.");
        }

        if (options.Postgres.MaxPoolSize is < 1 or > 1000)
        {
            failures.Add($"Federation:Postgres:MaxPoolSize must be 1 to 1000, got {options.Postgres.MaxPoolSize}");
        }

        if (options.Membership.ProbeTimeout < TimeSpan.FromMilliseconds(100) || options.Membership.ProbeTimeout > TimeSpan.FromMinutes(5))
        {
            failures.Add($"Federation:Membership:ProbeTimeout must be between 00:00:00.1 and 00:05:00, got {options.Membership.ProbeTimeout}");
        }

        if (options.Membership.MissedProbesLimit is < 1 or > 100)
        {
            failures.Add($"Federation:Membership:MissedProbesLimit must be 1 to 100, got {options.Membership.MissedProbesLimit}");
        }

        if (options.MaxRequestBodyBytes < 1024)
        {
            failures.Add($"Federation:MaxRequestBodyBytes must be at least 1024, got {options.MaxRequestBodyBytes}");
        }

        if (!string.IsNullOrWhiteSpace(options.Postgres.ConnectionString) && options.Auth.AdminTokens.Count == 0)
        {
            failures.Add("Federation:Auth:AdminTokens is empty: with PostgreSQL configured, writes and the dashboard require a token. Set at least one, e.g. FEDERATION__AUTH__ADMINTOKENS__0=<long random secret>");
        }

        foreach (var nodeId in options.Auth.NodeTokens.Keys)
        {
            if (!NodeId.TryParse(nodeId, out _, out var nodeError))
            {
                failures.Add($"Federation:Auth:NodeTokens: {nodeError}");
            }
        }

        if (options.Auth.AdminTokens.Concat(options.Auth.NodeTokens.Values).Any(t => t.Length < 16))
        {
            failures.Add("Federation:Auth: every token must be at least 16 characters");
        }

        HostingOptionsValidator.Validate(options, failures);
        Auth.IssuerOptionsValidator.Validate(options.Auth.Issuers, failures);
        Auth.Foreign.ForeignIdentityCheck.ValidateOptions(options.Auth.Foreign, failures);

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
