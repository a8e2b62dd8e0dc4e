using System.Net;
using System.Text.Json.Nodes;

namespace Federation.Fedctl.Connection;

/// <summary>An API answer: status, JSON body (if any) and ETag.</summary>
public sealed record ApiResponse(HttpStatusCode Status, JsonNode? Body, string? ETag)
{
    /// <summary>2xx.</summary>
    public bool IsSuccess => (int)Status is >= 200 and < 300;
}
