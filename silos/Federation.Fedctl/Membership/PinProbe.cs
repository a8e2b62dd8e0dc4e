using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Federation.Protocol;

namespace Federation.Fedctl.Membership;

/// <summary>
/// Reads the SPKI pin of the certificate a federation endpoint presents. The handshake may then fail
/// (a nation not yet on the roster is refused as a client): the server's certificate is read before that.
/// </summary>
public static class PinProbe
{
    /// <summary>The pin <paramref name="endpoint"/> presents (the handshake goes on only when it is one of <paramref name="expected"/>), or the reason none could be read.</summary>
    public static async Task<(string? Pin, string? Error)> ReadAsync(Uri endpoint, IReadOnlyList<string> expected, X509Certificate2? client, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(expected);
        string? pin = null;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(endpoint.Host, endpoint.Port, cts.Token);
            await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, certificate, _, _) =>
            {
                if (certificate is null)
                {
                    return false;
                }

                using var copy = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                pin = SpkiPin.Compute(copy);

                // Pins, not chains, decide: the roster names the member's keys.
                return expected.Contains(pin);
            });
            var options = new SslClientAuthenticationOptions
            {
                TargetHost = endpoint.Host,
                ClientCertificates = client is null ? null : [client],
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            };
            await tls.AuthenticateAsClientAsync(options, cts.Token);
        }
        catch (Exception e) when (e is IOException or SocketException or System.Security.Authentication.AuthenticationException or OperationCanceledException)
        {
            if (pin is null)
            {
                return (null, e is OperationCanceledException ? $"no answer within {timeout.TotalSeconds:0} s" : e.Message);
            }
        }

        return (pin, null);
    }
}
