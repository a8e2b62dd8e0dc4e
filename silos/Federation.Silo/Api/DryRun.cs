namespace Federation.Silo.Api;

/// <summary>
/// <c>?dryRun=true</c> on a registration validates the body exactly as a real request would and
/// answers 200 with the parsed spec, storing nothing (for clients that check a whole file first).
/// </summary>
public static class DryRun
{
    /// <summary>True when the request asks for validation only.</summary>
    public static bool Requested(HttpRequest request) =>
        bool.TryParse(request.Query["dryRun"].ToString(), out var dryRun) && dryRun;
}
