namespace Federation.Silo.Peering;

/// <summary>The rostered nation at the other end of a federation request (an <see cref="HttpContext"/> feature).</summary>
/// <param name="Code">The peer's nation code, from the roster entry its certificate's pin matched.</param>
/// <param name="Pin">The SPKI pin of the certificate it presented.</param>
public sealed record PeerIdentity(string Code, string Pin);

/// <summary>The <c>Federation-Request-Id</c> of a federation request (an <see cref="HttpContext"/> feature).</summary>
/// <param name="Value">The request id.</param>
public sealed record FederationRequestId(Guid Value);

/// <summary>Reads the federation features of a request.</summary>
public static class PeerHttpContextExtensions
{
    /// <summary>The verified peer; throws outside the federation API.</summary>
    public static PeerIdentity GetPeer(this HttpContext context) =>
        context.Features.Get<PeerIdentity>() ?? throw new InvalidOperationException("Not a federation request: no verified peer.");

    /// <summary>The request's <c>Federation-Request-Id</c>; throws outside the federation API.</summary>
    public static Guid GetFederationRequestId(this HttpContext context) =>
        context.Features.Get<FederationRequestId>()?.Value ?? throw new InvalidOperationException("Not a federation request: no request id.");
}
