namespace Federation.Silo.Hosting;

/// <summary>
/// Where the user API listens, by the ASP.NET Core conventions with the silo's own setting first:
/// <list type="number">
/// <item><c>Federation:Urls</c> (<c>FEDERATION__URLS</c>), when set;</item>
/// <item>else <c>urls</c>: <c>ASPNETCORE_URLS</c> or <c>--urls</c>;</item>
/// <item>else <c>http_ports</c>/<c>https_ports</c>: <c>ASPNETCORE_HTTP_PORTS</c> and <c>ASPNETCORE_HTTPS_PORTS</c>
/// (each port on every address, <c>http://*:port</c>, <c>https://*:port</c>);</item>
/// <item>else <c>http://127.0.0.1:5180</c>.</item>
/// </list>
/// The federation port is never among them: it is <c>Federation:Peering:Port</c>.
/// </summary>
public static class UserUrls
{
    /// <summary>The default when nothing is configured: loopback only.</summary>
    public const string Default = "http://127.0.0.1:5180";

    /// <summary>The user API URLs (';'-separated) and the setting they came from.</summary>
    public static (string Urls, string Source) Resolve(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration["Federation:Urls"] is { } own && !string.IsNullOrWhiteSpace(own))
        {
            return (own, "Federation:Urls");
        }

        if (configuration["urls"] is { } urls && !string.IsNullOrWhiteSpace(urls))
        {
            return (urls, "ASPNETCORE_URLS");
        }

        var ports = Ports(configuration["http_ports"], "http").Concat(Ports(configuration["https_ports"], "https")).ToList();
        return ports.Count > 0 ? (string.Join(';', ports), "ASPNETCORE_HTTP_PORTS/ASPNETCORE_HTTPS_PORTS") : (Default, "default");
    }

    private static IEnumerable<string> Ports(string? value, string scheme) =>
        (value ?? string.Empty).Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(port => $"{scheme}://*:{port}");
}
