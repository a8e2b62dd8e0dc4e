using System.Text.Json;
using Federation.Contracts.Json;
using Federation.Protocol.Usage;
using Federation.Silo.Api;
using Federation.Silo.Peering;

namespace Federation.Silo.Shares;

/// <summary>The shares endpoints of the federation API (mutual TLS): peers' signed usage reports.</summary>
public static class ShareFederationEndpoints
{
    /// <summary>The largest report body taken, bytes.</summary>
    public const int MaxBytes = 256 * 1024;

    /// <summary>Maps <c>POST /federation/v1/shares/usage-reports</c> on the federation group.</summary>
    public static void MapShareFederationEndpoints(this RouteGroupBuilder federation)
    {
        ArgumentNullException.ThrowIfNull(federation);
        federation.MapPost(UsageReportRoutes.Path, ReceiveAsync).WithName("FederationReceiveUsageReport").WithTags("Shares")
            .WithSummary("A peer's signed report of the usage it ran per origin nation and consortium over a period; refused naming the rule when forged, replayed, in the future or out of bounds.")
            .Accepts<SignedUsageReport>("application/json").Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
    }

    private static async Task<IResult> ReceiveAsync(HttpContext http, UsageReportReceiver receiver)
    {
        if (http.Request.ContentLength > MaxBytes)
        {
            return Problems.Invalid("$", $"a usage report is at most {MaxBytes} bytes");
        }

        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        if (buffer.Length > MaxBytes)
        {
            return Problems.Invalid("$", $"a usage report is at most {MaxBytes} bytes");
        }

        SignedUsageReport? claim;
        try
        {
            claim = JsonSerializer.Deserialize<SignedUsageReport>(buffer.ToArray(), FederationJson.Options);
        }
        catch (JsonException e)
        {
            return Problems.Invalid(string.IsNullOrEmpty(e.Path) ? "$" : e.Path, "malformed usage report: " + e.Message.Split(" Path:", 2)[0]);
        }

        return await receiver.ReceiveAsync(claim, http.GetPeer().Code, http.RequestAborted);
    }
}
