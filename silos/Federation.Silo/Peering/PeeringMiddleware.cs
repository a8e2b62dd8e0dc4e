using System.Diagnostics;
using Federation.Protocol.Wire;
using Federation.Protocol;
using Federation.Protocol.Roster;

namespace Federation.Silo.Peering;

/// <summary>
/// Runs first on every request. On the federation port: only <c>/federation/</c> is served, the
/// client certificate's pin is checked against the roster as it is now (roster edits do not close
/// kept-alive connections), the protocol version and the <c>Federation-Request-Id</c> are checked,
/// and the request is logged with the peer and the request id. On any other port <c>/federation/</c>
/// does not exist.
/// </summary>
public sealed partial class PeeringMiddleware(RequestDelegate next, PeeringEndpoint endpoint, RosterStore roster, SpokenProtocol protocol, ILogger<PeeringMiddleware> logger)
{
    private static readonly PathString Federation = new("/federation");
    private static readonly string PathVersion = "v" + ProtocolVersions.PathVersion;

    /// <summary>Handles one request.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        var onFederationPort = endpoint.Port is { } port && context.Connection.LocalPort == port;
        var federationPath = context.Request.Path.StartsWithSegments(Federation, out var rest);
        if (!onFederationPort)
        {
            if (federationPath)
            {
                await Problem(context, StatusCodes.Status404NotFound, "Not found", "The federation API is served on the federation port only.");
                return;
            }

            await next(context);
            return;
        }

        if (!federationPath)
        {
            await Problem(context, StatusCodes.Status404NotFound, "Not found", "Only /federation/ is served on the federation port.");
            return;
        }

        var path = context.Request.Path.Value ?? "/";
        var certificate = context.Connection.ClientCertificate;
        var pin = certificate is null ? null : SpkiPin.Compute(certificate);
        var peer = pin is null ? null : roster.FindByPin(pin);
        if (peer is null)
        {
            LogPeerRefused(logger, pin ?? "(no certificate)", context.Request.Method, path);
            await Problem(context, StatusCodes.Status403Forbidden, "Not a rostered nation",
                "The client certificate's SPKI pin is not on this nation's federation roster.");
            return;
        }

        var identity = new PeerIdentity(peer.Code, pin!);
        context.Features.Set(identity);

        var version = FirstSegment(rest);
        if (!string.Equals(version, PathVersion, StringComparison.Ordinal))
        {
            LogVersionRefused(logger, peer.Code, version ?? "(none)", path);
            await Problem(context, StatusCodes.Status400BadRequest, "Unsupported federation protocol version",
                $"'{version}' is not a federation protocol path of this nation; this nation speaks federation protocol versions: {string.Join(", ", protocol.Versions)}, all under /federation/{PathVersion}/.");
            return;
        }

        if (!context.Request.Headers.TryGetValue(FederationRequests.RequestIdHeader, out var header)
            || header.Count != 1
            || !Guid.TryParse(header[0], out var requestId))
        {
            LogRequestIdMissing(logger, peer.Code, context.Request.Method, path);
            await Problem(context, StatusCodes.Status400BadRequest, "Missing or invalid request id",
                $"Every federation request carries the header {FederationRequests.RequestIdHeader} with a UUID.");
            return;
        }

        context.Features.Set(new FederationRequestId(requestId));
        var clock = Stopwatch.StartNew();
        using (logger.BeginScope(new Dictionary<string, object> { ["Peer"] = peer.Code, ["FederationRequestId"] = requestId }))
        {
            await next(context);
        }

        var elapsedMs = clock.Elapsed.TotalMilliseconds;
        LogRequest(logger, context.Request.Method, path, peer.Code, requestId, context.Response.StatusCode, elapsedMs);
    }

    private static string? FirstSegment(PathString rest)
    {
        var value = rest.Value;
        if (string.IsNullOrEmpty(value) || value == "/")
        {
            return null;
        }

        var end = value.IndexOf('/', 1);
        return end < 0 ? value[1..] : value[1..end];
    }

    private static Task Problem(HttpContext context, int status, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title).ExecuteAsync(context);

    [LoggerMessage(EventId = 5321, Level = LogLevel.Warning, Message = "Federation request {Method} {Path} refused: client certificate pin {Pin} is not on the roster")]
    private static partial void LogPeerRefused(ILogger logger, string pin, string method, string path);

    [LoggerMessage(EventId = 5322, Level = LogLevel.Warning, Message = "Federation request {Path} from {Peer} refused: unsupported protocol version {Version}")]
    private static partial void LogVersionRefused(ILogger logger, string peer, string version, string path);

    [LoggerMessage(EventId = 5323, Level = LogLevel.Warning, Message = "Federation request {Method} {Path} from {Peer} refused: missing or invalid Federation-Request-Id")]
    private static partial void LogRequestIdMissing(ILogger logger, string peer, string method, string path);

    [LoggerMessage(EventId = 5324, Level = LogLevel.Information, Message = "Federation request {Method} {Path} from {Peer} request-id {RequestId}: {Status} in {ElapsedMs:0.0} ms")]
    private static partial void LogRequest(ILogger logger, string method, string path, string peer, Guid requestId, int status, double elapsedMs);
}
