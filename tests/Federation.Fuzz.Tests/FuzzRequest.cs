namespace Federation.Fuzz.Tests;

/// <summary>
/// One generated request: which API, method, path and query (already encoded), content type and body
/// text, and the pool entity it creates or changes when it is acknowledged (for the stored-state check).
/// </summary>
public sealed record FuzzRequest(FuzzApi Api, string Method, string PathAndQuery, string? ContentType, string? Body, EntityRef? Entity)
{
    /// <summary>The request as printed on failure (a long body is cut).</summary>
    public override string ToString() =>
        $"{Api} {Method} {PathAndQuery} content-type={ContentType ?? "(none)"} body={(Body is null ? "(none)" : Body.Length > 600 ? Body[..600] + $"... ({Body.Length} chars)" : Body)}";
}
