using System.Globalization;
using System.Net;

namespace Federation.Silo.Options;

/// <summary>Checks <c>Federation:Urls</c> and <c>Federation:Hosting</c> together: an https URL needs a certificate.</summary>
public static class HostingOptionsValidator
{
    /// <summary>Adds a message naming the setting to <paramref name="failures"/> for each rule <paramref name="options"/> breaks.</summary>
    public static void Validate(FederationOptions options, List<string> failures)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(failures);
        var hosting = options.Hosting;
        var https = false;
        foreach (var url in (options.Urls ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string scheme;
            try
            {
                scheme = BindingAddress.Parse(url).Scheme;
            }
            catch (FormatException e)
            {
                failures.Add($"Federation:Urls: '{url}' is not a URL to listen on ({e.Message})");
                continue;
            }

            if (scheme is not ("http" or "https"))
            {
                failures.Add($"Federation:Urls: only http and https URLs are supported for the user API, got '{url}'");
            }

            https |= scheme == "https";
        }

        var tls = hosting.UserTls;
        if (https && !tls.Enabled)
        {
            failures.Add("Federation:Hosting:UserTls:CertificatePath is required for the https URLs of Federation:Urls");
        }

        if (tls.Enabled && !File.Exists(tls.CertificatePath))
        {
            failures.Add($"Federation:Hosting:UserTls:CertificatePath: {tls.CertificatePath} does not exist");
        }

        if (!string.IsNullOrWhiteSpace(tls.KeyPath) && !File.Exists(tls.KeyPath))
        {
            failures.Add($"Federation:Hosting:UserTls:KeyPath: {tls.KeyPath} does not exist");
        }

        if (tls.HstsMaxAgeDays is < 0 or > 3650)
        {
            failures.Add($"Federation:Hosting:UserTls:HstsMaxAgeDays must be 0 to 3650, got {tls.HstsMaxAgeDays}");
        }

        var proxies = hosting.ForwardedHeaders;
        for (var i = 0; i < proxies.KnownProxies.Count; i++)
        {
            if (!IPAddress.TryParse(proxies.KnownProxies[i], out _))
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"Federation:Hosting:ForwardedHeaders:KnownProxies:{i} must be an IP address, got '{proxies.KnownProxies[i]}'"));
            }
        }

        for (var i = 0; i < proxies.KnownNetworks.Count; i++)
        {
            if (!IPNetwork.TryParse(proxies.KnownNetworks[i], out _))
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"Federation:Hosting:ForwardedHeaders:KnownNetworks:{i} must be a network in CIDR notation (e.g. 10.0.0.0/8), got '{proxies.KnownNetworks[i]}'"));
            }
        }

        if (proxies.ForwardLimit is < 1 or > 10)
        {
            failures.Add($"Federation:Hosting:ForwardedHeaders:ForwardLimit must be 1 to 10, got {proxies.ForwardLimit}");
        }

        if (hosting.EventPollMilliseconds is < 1 or > 1000)
        {
            failures.Add($"Federation:Hosting:EventPollMilliseconds must be 1 to 1000, got {hosting.EventPollMilliseconds}");
        }

        if (hosting.EventQueues is < 1 or > 64)
        {
            failures.Add($"Federation:Hosting:EventQueues must be 1 to 64, got {hosting.EventQueues}");
        }

        if (hosting.StageJobs is { Length: > 200 })
        {
            failures.Add($"Federation:Hosting:StageJobs must be at most 200 characters (a part of the job references to trace), got {hosting.StageJobs.Length}");
        }

        if (hosting.Kubernetes && string.IsNullOrWhiteSpace(options.Postgres.ConnectionString))
        {
            failures.Add("Federation:Hosting:Kubernetes requires Federation:Postgres:ConnectionString: the silos of a pod deployment share PostgreSQL membership");
        }
    }
}
