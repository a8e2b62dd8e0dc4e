using System.Collections.Concurrent;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Federation.Contracts.Ids;
using Federation.Grains.Learning;
using Federation.Grains.Nations;
using Federation.Protocol;
using Federation.Silo.Peering;
using Federation.Silo.Transparency;

namespace Federation.Silo.Learning;

/// <summary>
/// The federation keys of secure aggregation. This nation's is its federation certificate's key (the one
/// that signs its tree heads). A peer's is the public key of the certificate it presented on a
/// mutual-TLS connection whose pin matched its roster entry: remembered when it calls this nation
/// (<see cref="Remember"/>), or fetched by a TLS handshake with its federation endpoint (<see cref="EnsureAsync"/>).
/// Kept in memory: after a restart the keys are learnt again.
/// </summary>
public sealed class RunKeyDirectory(TreeHeadSigner signer, NationIdentity identity, LocalNation local, RosterStore roster) : IRunKeyDirectory, IDisposable
{
    private readonly ConcurrentDictionary<NationCode, ECDsa> _peers = new();
    private readonly Lazy<ECDsa> _own = new(() => signer.Certificate.GetECDsaPrivateKey()
        ?? throw new InvalidOperationException("The federation certificate has no ECDSA key: secure aggregation needs one."));

    private readonly Lazy<ECDsa> _ownPublic = new(() => signer.Certificate.GetECDsaPublicKey()
        ?? throw new InvalidOperationException("The federation certificate has no ECDSA key: secure aggregation needs one."));

    private static readonly TimeSpan s_handshakeTimeout = TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    public ECDsa Own => _own.Value;

    /// <inheritdoc />
    public ECDsa? Find(NationCode nation) => nation == local.Code ? _ownPublic.Value : _peers.GetValueOrDefault(nation);

    /// <summary>Remembers the key of <paramref name="nation"/>'s certificate, presented on a connection whose pin the roster matched.</summary>
    public void Remember(NationCode nation, X509Certificate2? certificate)
    {
        if (nation != local.Code && certificate?.GetECDsaPublicKey() is { } key && !_peers.TryAdd(nation, key))
        {
            key.Dispose();
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<NationCode>> EnsureAsync(IEnumerable<NationCode> nations)
    {
        ArgumentNullException.ThrowIfNull(nations);
        var unknown = new List<NationCode>();
        foreach (var nation in nations.Where(n => Find(n) is null))
        {
            if (roster.Find(nation.Value) is { } entry && identity.Certificate is { } own && await HandshakeAsync(entry, own) is { } presented)
            {
                using (presented)
                {
                    Remember(nation, presented);
                }
            }

            if (Find(nation) is null)
            {
                unknown.Add(nation);
            }
        }

        return unknown;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var key in _peers.Values)
        {
            key.Dispose();
        }

        if (_own.IsValueCreated)
        {
            _own.Value.Dispose();
        }

        if (_ownPublic.IsValueCreated)
        {
            _ownPublic.Value.Dispose();
        }
    }

    /// <summary>The certificate the peer's federation endpoint presents, when its pin is on the peer's roster entry; null otherwise.</summary>
    private static async Task<X509Certificate2?> HandshakeAsync(Federation.Protocol.Roster.RosterEntry entry, X509Certificate2 own)
    {
        var address = entry.BaseAddress;
        X509Certificate2? presented = null;
        try
        {
            using var timeout = new CancellationTokenSource(s_handshakeTimeout);
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(address.Host, address.Port, timeout.Token);
            await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = address.Host,
                ClientCertificates = [own],
                LocalCertificateSelectionCallback = (_, _, _, _, _) => own,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                CertificateChainPolicy = PeerHttpClientFactory.PinnedChainPolicy(),
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    if (certificate is null)
                    {
                        return false;
                    }

                    var copy = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                    if (entry.HasPin(SpkiPin.Compute(copy)))
                    {
                        presented = copy;
                        return true;
                    }

                    copy.Dispose();
                    return false;
                },
            }, timeout.Token);
            return presented;
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
        {
            presented?.Dispose();
            return null;
        }
    }
}
