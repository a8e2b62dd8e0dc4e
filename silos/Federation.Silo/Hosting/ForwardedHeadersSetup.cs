using System.Net;
using Federation.Silo.Options;
using Federation.Silo.Peering;
using Microsoft.AspNetCore.HttpOverrides;

namespace Federation.Silo.Hosting;

/// <summary>
/// <c>X-Forwarded-For</c>/<c>-Proto</c>/<c>-Host</c> on the user port, honoured only from the proxies of
/// <c>Federation:Hosting:ForwardedHeaders</c> (ASP.NET Core's default trust of loopback is removed). Never
/// on the federation port: a peer is who its certificate says, and it reaches us without a proxy.
/// </summary>
public static class ForwardedHeadersSetup
{
    /// <summary>Registers the middleware first in the pipeline when a proxy is configured; otherwise nothing.</summary>
    public static IServiceCollection AddForwardedHeadersFromProxies(this IServiceCollection services, ReverseProxyOptions proxies)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(proxies);
        if (!proxies.Enabled)
        {
            return services;
        }

        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            o.ForwardLimit = proxies.ForwardLimit;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in proxies.KnownProxies)
            {
                o.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in proxies.KnownNetworks)
            {
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        services.AddTransient<IStartupFilter, ForwardedHeadersStartupFilter>();
        return services;
    }

    private sealed class ForwardedHeadersStartupFilter(PeeringEndpoint federation) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseWhen(http => federation.Port is not { } port || http.Connection.LocalPort != port, user => user.UseForwardedHeaders());
            next(app);
        };
    }
}
