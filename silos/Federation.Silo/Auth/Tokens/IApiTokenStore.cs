namespace Federation.Silo.Auth.Tokens;

/// <summary>API tokens kept by the nation: in PostgreSQL (table <c>api_token</c>, migration 0007) or in memory (embedded mode).</summary>
public interface IApiTokenStore
{
    /// <summary>Stores a new token.</summary>
    Task AddAsync(ApiToken token, CancellationToken ct);

    /// <summary>The token whose secret hashes to <paramref name="sha256"/>, or null.</summary>
    Task<ApiToken?> FindAsync(byte[] sha256, CancellationToken ct);

    /// <summary>The tokens of <paramref name="subject"/>, or every token when null; newest first.</summary>
    Task<IReadOnlyList<ApiToken>> ListAsync(string? subject, CancellationToken ct);

    /// <summary>Revokes token <paramref name="id"/> at <paramref name="now"/>; the token as it is now, or null when there is none.</summary>
    Task<ApiToken?> RevokeAsync(string id, DateTimeOffset now, CancellationToken ct);
}
