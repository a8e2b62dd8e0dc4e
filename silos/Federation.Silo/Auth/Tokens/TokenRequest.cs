namespace Federation.Silo.Auth.Tokens;

/// <summary>Body of <c>POST /api/v1/tokens</c>.</summary>
public sealed class TokenRequest
{
    /// <summary>A label, 1 to 100 characters (e.g. "laptop", "ci").</summary>
    public string? Name { get; set; }

    /// <summary>Role entries the token may use (<c>role</c> or <c>role:scope</c>), each one the caller holds; all of them when left out.</summary>
    public List<string>? Scopes { get; set; }

    /// <summary>Days until it expires, 1 to 90 (default 30).</summary>
    public int? ExpiresInDays { get; set; }
}
