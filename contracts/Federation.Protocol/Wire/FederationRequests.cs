namespace Federation.Protocol.Wire;

/// <summary>Headers and helpers of federation requests.</summary>
public static class FederationRequests
{
    /// <summary>The header every federation request carries: a UUID that makes the request idempotent.</summary>
    public const string RequestIdHeader = "Federation-Request-Id";

    /// <summary>Sets (or replaces) the <c>Federation-Request-Id</c> of <paramref name="request"/>.</summary>
    public static HttpRequestMessage WithRequestId(this HttpRequestMessage request, Guid requestId)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.Remove(RequestIdHeader);
        request.Headers.Add(RequestIdHeader, requestId.ToString("D"));
        return request;
    }
}
