using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Federation.Protocol.Wire;
using Federation.Protocol;
using Federation.Protocol.Roster;

namespace Federation.Silo.Peering;

/// <summary>
/// HTTP clients to peer nations: mutual TLS with this nation's certificate, and the peer's server
/// certificate accepted only when its SPKI pin is among the peer's pins on the roster as it is at
/// the handshake (host names are not checked: nations are pinned, not named). One connection pool
/// per peer is shared by every client (a TLS handshake per call costs more than most calls); a
/// changed roster entry (address or pins) gets a new pool, and the old one is disposed once the
/// requests on it have had time to end.
/// </summary>
public sealed partial class PeerHttpClientFactory(NationIdentity identity, RosterStore roster, ILogger<PeerHttpClientFactory> logger) : IDisposable
{
    private static readonly TimeSpan s_retireAfter = TimeSpan.FromMinutes(2);
    private readonly Dictionary<string, (string Identity, SocketsHttpHandler Handler)> _pools = new(StringComparer.Ordinal);
    private readonly Lock _poolsLock = new();

    /// <summary>How long a pooled connection lives, so roster edits reach kept-alive connections.</summary>
    public static readonly TimeSpan PooledConnectionLifetime = TimeSpan.FromMinutes(1);

    /// <summary>TCP connect timeout.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(3);

    /// <summary>
    /// A client whose base address is <paramref name="peer"/>'s federation endpoint. Callers set a
    /// <c>Federation-Request-Id</c> on every request (<see cref="FederationRequests.WithRequestId"/>).
    /// </summary>
    public HttpClient CreateClient(RosterEntry peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        var certificate = identity.Certificate
            ?? throw new InvalidOperationException("The federation API is not configured: set Federation:Peering:CertificatePath.");
        var key = $"{peer.BaseAddress}|{string.Join(',', peer.Pins.Order(StringComparer.Ordinal))}";
        SocketsHttpHandler? retired = null;
        SocketsHttpHandler handler;
        lock (_poolsLock)
        {
            if (_pools.TryGetValue(peer.Code, out var pool) && pool.Identity == key)
            {
                handler = pool.Handler;
            }
            else
            {
                retired = pool.Handler;
                handler = CreateHandler(peer.Code, certificate);
                _pools[peer.Code] = (key, handler);
            }
        }

        if (retired is not null)
        {
            _ = Task.Delay(s_retireAfter).ContinueWith(_ => retired.Dispose(), TaskScheduler.Default);
        }

        return new HttpClient(handler, disposeHandler: false) { BaseAddress = peer.BaseAddress };
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_poolsLock)
        {
            foreach (var pool in _pools.Values)
            {
                pool.Handler.Dispose();
            }

            _pools.Clear();
        }
    }

    private SocketsHttpHandler CreateHandler(string code, X509Certificate2 certificate) =>
        new()
        {
            PooledConnectionLifetime = PooledConnectionLifetime,
            ConnectTimeout = ConnectTimeout,
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = [certificate],
                LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                CertificateChainPolicy = PinnedChainPolicy(),
                RemoteCertificateValidationCallback = (_, presented, _, _) => AcceptServer(code, presented),
            },
        };

    /// <summary>A chain policy that never goes online: pinned self-issued certificates need no chain.</summary>
    internal static X509ChainPolicy PinnedChainPolicy() => new()
    {
        RevocationMode = X509RevocationMode.NoCheck,
        DisableCertificateDownloads = true,
        TrustMode = X509ChainTrustMode.CustomRootTrust,
    };

    private bool AcceptServer(string code, X509Certificate? presented)
    {
        if (presented is null)
        {
            LogServerRefused(logger, code, "(none)");
            return false;
        }

        using var copy = presented as X509Certificate2 is null ? X509CertificateLoader.LoadCertificate(presented.GetRawCertData()) : null;
        var pin = SpkiPin.Compute(copy ?? (X509Certificate2)presented);
        if (roster.AcceptsPin(code, pin))
        {
            return true;
        }

        LogServerRefused(logger, code, pin);
        return false;
    }

    [LoggerMessage(EventId = 5311, Level = LogLevel.Warning, Message = "Refused the server certificate of peer {Peer}: pin {Pin} is not on the roster for it")]
    private static partial void LogServerRefused(ILogger logger, string peer, string pin);
}
