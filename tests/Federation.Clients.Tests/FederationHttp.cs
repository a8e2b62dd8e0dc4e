using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Federation.Protocol;
using Federation.Protocol.Roster;

namespace Federation.Clients.Tests;

/// <summary>
/// An HttpClient for the federation API as a peer nation builds it (like the silo's
/// PeerHttpClientFactory): its own certificate as client certificate, the server accepted only
/// when its SPKI pin is on the roster for that nation, and a Federation-Request-Id on every request.
/// </summary>
public static class FederationHttp
{
    /// <summary>The header every federation request carries.</summary>
    public const string RequestIdHeader = "Federation-Request-Id";

    /// <summary>A client holding <paramref name="certificate"/> that pins <paramref name="peer"/>'s server.</summary>
    public static HttpClient Create(X509Certificate2 certificate, RosterEntry peer)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ConnectTimeout = TimeSpan.FromSeconds(5),
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = [certificate],
                LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                CertificateChainPolicy = new X509ChainPolicy
                {
                    RevocationMode = X509RevocationMode.NoCheck,
                    DisableCertificateDownloads = true,
                    TrustMode = X509ChainTrustMode.CustomRootTrust,
                },

                // Nations are pinned, not named: the host name (127.0.0.1) is not checked.
                RemoteCertificateValidationCallback = (_, presented, _, _) => presented is not null && peer.HasPin(PinOf(presented)),
            },
        };
        return new HttpClient(new RequestIdHandler(handler)) { Timeout = TimeSpan.FromSeconds(30) };
    }

    private static string PinOf(X509Certificate presented)
    {
        if (presented is X509Certificate2 certificate)
        {
            return SpkiPin.Compute(certificate);
        }

        using var copy = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        return SpkiPin.Compute(copy);
    }

    private sealed class RequestIdHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Remove(RequestIdHeader);
            request.Headers.Add(RequestIdHeader, Guid.NewGuid().ToString("D"));
            return base.SendAsync(request, cancellationToken);
        }
    }
}
