using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Federation.Grains.Nations;
using Federation.Protocol;
using Federation.Protocol.Messages;
using Federation.Grains.Peers;
using Federation.Protocol.Wire;
using Federation.Silo.Api.OpenApi;
using Federation.Silo.Governance;
using Federation.Silo.Hosting;
using Federation.Silo.Jobs;
using Federation.Silo.Jobs.Dispatch;
using Federation.Silo.Options;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Peering;

/// <summary>Wires the federation API (its own port, mutual TLS, roster) into a nation's silo.</summary>
public static partial class PeeringExtensions
{
    /// <summary>The federation API's route prefix of the current protocol version.</summary>
    public const string VersionPrefix = FederationRoutes.Prefix;

    /// <summary>The OpenAPI group name of the federation API (kept out of the user API's document).</summary>
    public const string OpenApiGroup = "federation-v1";

    // The connection whose TLS handshake runs in this flow: the certificate check reads it to say who was refused.
    private static readonly AsyncLocal<ConnectionContext?> s_handshakeConnection = new();

    // Connection items: the handshake completed, or its refusal was already logged.
    private const string HandshakeCompleted = "federation.tls.completed";
    private const string HandshakeRefusalLogged = "federation.tls.refusal-logged";

    /// <summary>
    /// The peering feature: the roster, this nation's identity, the peer client factory, its capability
    /// adverts (published to every peer when peering is on), and, when <c>Federation:Peering:CertificatePath</c>
    /// is set, a federation endpoint with mutual TLS (never behind a TLS-terminating proxy: peers pin its
    /// certificate). The user API's endpoints are <see cref="UserListeners"/>'. Idempotent: a second call registers nothing.
    /// </summary>
    public static WebApplicationBuilder AddFederationPeering(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (services.Any(s => s.ServiceType == typeof(RosterStore)))
        {
            return builder;
        }

        // Read now as well as on start: the listeners are composed from it.
        var options = ValidatedOptions.Read(builder.Configuration, PeeringOptions.Section, new PeeringOptionsValidator());
        services.AddValidatedOptions<PeeringOptions, PeeringOptionsValidator>(PeeringOptions.Section);
        services.AddValidatedOptions<ProtocolOptions, ProtocolOptionsValidator>(ProtocolOptions.Section);
        services.AddSingleton<SpokenProtocol>();
        services.AddSingleton<RosterStore>();
        services.AddSingleton<PeerHttpClientFactory>();
        services.AddTransient<IStartupFilter, PeeringStartupFilter>();
        services.AddSingleton(sp => new PeerLinkSettings(sp.GetRequiredService<IOptions<PeeringOptions>>().Value.AdvertInterval));
        services.AddSingleton<AdvertBuilder>();

        // The federation API's own document, served on the user API port at /openapi/federation-v1.json and
        // committed under contracts/Federation.Protocol/openapi.
        services.AddOpenApi(OpenApiGroup, openApi => OpenApiDocuments.ConfigureFederationDocument(openApi, OpenApiGroup));
        var endpoint = new PeeringEndpoint { Enabled = options.Enabled };
        services.AddSingleton(endpoint);
        services.AddFederationRosterGovernance(options.Enabled);
        if (!options.Enabled)
        {
            services.AddSingleton(new NationIdentity(null));
            return builder;
        }

        services.AddHostedService<AdvertPublisher>();
        var certificate = LoadCertificate(options);
        services.AddSingleton(new NationIdentity(certificate));
        var listenAddress = IPAddress.Parse(options.ListenAddress);

        // The user API's endpoints are configured in code too (UserListeners); this adds the federation port.
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            kestrel.Listen(listenAddress, options.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.Use(next => connection => LogUnfinishedHandshakeAsync(next, connection, kestrel.ApplicationServices));
                listen.UseHttps(https => ConfigureHttps(https, certificate, kestrel.ApplicationServices));
                listen.Use(next => connection =>
                {
                    connection.Items[HandshakeCompleted] = true;
                    return next(connection);
                });
                endpoint.Bind(listen);
            });
        });
        return builder;
    }

    /// <summary>
    /// Maps <c>GET /federation/v1/hello</c> and returns the <c>/federation/v1</c> group for the
    /// federation endpoints. Everything under <c>/federation/</c> is served on the federation port
    /// only, to rostered peers, with a request id (<see cref="PeeringMiddleware"/>).
    /// </summary>
    public static RouteGroupBuilder MapPeering(this WebApplication app)
    {
        var group = app.MapGroup(VersionPrefix).WithGroupName(OpenApiGroup).WithTags("federation").WithFederationProblems();
        group.MapGet(FederationRoutes.HelloPath, (HttpContext context, LocalNation nation, SpokenProtocol protocol, IOptions<MessageBatchOptions> batches, IOptions<FederationOptions> federation) =>
            TypedResults.Ok(new HelloResponse(nation.Code.Value, context.GetPeer().Code, protocol.Versions, JobFederationBatchEndpoint.Limits(batches.Value, federation.Value))))
            .WithName("FederationHello")
            .WithSummary("Who is calling whom, the protocol versions this nation speaks, and the message batches it takes.").Produces<HelloResponse>();
        return group;
    }

    private static X509Certificate2 LoadCertificate(PeeringOptions options)
    {
        var path = options.CertificatePath!;
        var certificate = NationCertificates.LoadPfx(path);
        if (!certificate.HasPrivateKey)
        {
            throw new OptionsValidationException(PeeringOptions.Section, typeof(PeeringOptions),
                [$"Federation:Peering:CertificatePath: {path} holds no private key"]);
        }

        return certificate;
    }

    private static void ConfigureHttps(HttpsConnectionAdapterOptions https, X509Certificate2 certificate, IServiceProvider services)
    {
        https.ServerCertificate = certificate;
        https.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
        https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
        https.CheckCertificateRevocation = false;
        https.OnAuthenticate = (connection, ssl) =>
        {
            ssl.CertificateChainPolicy = PeerHttpClientFactory.PinnedChainPolicy();

            // Runs in the handshake's own flow, just before it: the validation below reads it to say who was refused.
            s_handshakeConnection.Value = connection;
        };

        // The pin decides, not the chain: nations' certificates are self-issued or from their own CAs.
        // A refused handshake otherwise leaves no trace, so the refusal is logged with the peer and the reason.
        https.ClientCertificateValidation = (presented, _, _) =>
        {
            var pin = SpkiPin.Compute(presented);
            if (services.GetRequiredService<RosterStore>().FindByPin(pin) is not null)
            {
                return true;
            }

            var connection = s_handshakeConnection.Value;
            connection?.Items[HandshakeRefusalLogged] = true;
            LogHandshakeRefused(TlsLogger(services), Remote(connection), $"its certificate (subject '{presented.Subject}', SPKI pin {pin}) is not on the roster");
            return false;
        };
    }

    // Kestrel refuses a handshake without a client certificate (or one that is not TLS at all) before any
    // callback of ours runs; a connection that never completed its handshake is logged here instead.
    private static async Task LogUnfinishedHandshakeAsync(ConnectionDelegate next, ConnectionContext connection, IServiceProvider services)
    {
        try
        {
            await next(connection);
        }
        finally
        {
            if (!connection.Items.ContainsKey(HandshakeCompleted) && !connection.Items.ContainsKey(HandshakeRefusalLogged))
            {
                LogHandshakeRefused(TlsLogger(services), Remote(connection),
                    "the TLS handshake did not complete (no client certificate, or a client that does not speak TLS)");
            }
        }
    }

    private static ILogger TlsLogger(IServiceProvider services) =>
        services.GetRequiredService<ILoggerFactory>().CreateLogger("Federation.Silo.Peering.Tls");

    private static string Remote(ConnectionContext? connection) => connection?.RemoteEndPoint?.ToString() ?? "an unknown address";

    [LoggerMessage(EventId = 5140, Level = LogLevel.Warning, Message = "Refused a TLS handshake on the federation port from {RemoteAddress}: {Reason}")]
    private static partial void LogHandshakeRefused(ILogger logger, string remoteAddress, string reason);

    private sealed class PeeringStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseMiddleware<PeeringMiddleware>();
            next(app);
        };
    }
}
