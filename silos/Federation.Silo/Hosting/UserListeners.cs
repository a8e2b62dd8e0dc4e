using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Federation.Silo.Options;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Hosting;

/// <summary>
/// The user API's Kestrel endpoints, configured in code (the federation port is too, and Kestrel then
/// ignores <c>urls</c>): http, or https with the certificate of <c>Federation:Hosting:UserTls</c> and HSTS.
/// </summary>
public static class UserListeners
{
    /// <summary>
    /// Listens on <paramref name="options"/>' URLs (already resolved by <see cref="UserUrls"/>) and clears
    /// the host's own address settings so that Kestrel neither warns nor binds them twice.
    /// </summary>
    /// <exception cref="OptionsValidationException">The certificate cannot be loaded.</exception>
    public static WebApplicationBuilder AddUserListeners(this WebApplicationBuilder builder, FederationOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        var urls = options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(BindingAddress.Parse).ToList();
        var tls = options.Hosting.UserTls;
        var certificate = tls.Enabled ? LoadCertificate(tls) : null;
        if (certificate is not null && tls.Hsts)
        {
            builder.Services.AddHsts(hsts => hsts.MaxAge = TimeSpan.FromDays(tls.HstsMaxAgeDays));
        }

        builder.WebHost.UseSetting(WebHostDefaults.ServerUrlsKey, string.Empty);
        builder.WebHost.UseSetting(WebHostDefaults.HttpPortsKey, string.Empty);
        builder.WebHost.UseSetting(WebHostDefaults.HttpsPortsKey, string.Empty);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            foreach (var url in urls)
            {
                Listen(kestrel, url, listen =>
                {
                    if (url.Scheme == "https")
                    {
                        listen.UseHttps(https =>
                        {
                            https.ServerCertificate = certificate;
                            https.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
                        });
                    }
                });
            }
        });
        return builder;
    }

    /// <summary>Sends HSTS on the user port's HTTPS responses when its own TLS is on (<c>Federation:Hosting:UserTls:Hsts</c>).</summary>
    public static WebApplication UseUserTls(this WebApplication app, FederationOptions options)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Hosting.UserTls is { Enabled: true, Hsts: true })
        {
            app.UseHsts();
        }

        return app;
    }

    private static X509Certificate2 LoadCertificate(UserTlsOptions tls)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = string.IsNullOrWhiteSpace(tls.KeyPath)
                ? X509CertificateLoader.LoadPkcs12FromFile(tls.CertificatePath!, tls.CertificatePassword)
                : X509Certificate2.CreateFromPemFile(tls.CertificatePath!, tls.KeyPath);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException)
        {
            throw new OptionsValidationException(FederationOptions.Section, typeof(UserTlsOptions),
                [$"Federation:Hosting:UserTls:CertificatePath: {tls.CertificatePath} could not be loaded ({e.Message}); check the file, Federation:Hosting:UserTls:KeyPath and Federation:Hosting:UserTls:CertificatePassword"]);
        }

        if (!certificate.HasPrivateKey)
        {
            throw new OptionsValidationException(FederationOptions.Section, typeof(UserTlsOptions),
                [$"Federation:Hosting:UserTls:CertificatePath: {tls.CertificatePath} holds no private key"]);
        }

        return certificate;
    }

    private static void Listen(KestrelServerOptions kestrel, BindingAddress url, Action<ListenOptions> configure)
    {
        if (url.Host is "*" or "+" || (IPAddress.TryParse(url.Host, out var any) && (any.Equals(IPAddress.Any) || any.Equals(IPAddress.IPv6Any))))
        {
            kestrel.ListenAnyIP(url.Port, configure);
        }
        else if (IPAddress.TryParse(url.Host.Trim('[', ']'), out var address))
        {
            kestrel.Listen(address, url.Port, configure);
        }
        else if (url.Port == 0)
        {
            // Kestrel does not bind localhost to a dynamic port (IPv4 and IPv6 would differ).
            kestrel.Listen(IPAddress.Loopback, 0, configure);
        }
        else if (string.Equals(url.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            kestrel.ListenLocalhost(url.Port, configure);
        }
        else
        {
            kestrel.ListenAnyIP(url.Port, configure);
        }
    }
}
