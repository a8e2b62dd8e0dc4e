namespace Federation.Silo.Auth.Tokens;

/// <summary>An API token as listed (never its secret).</summary>
/// <param name="Id">Its id.</param>
/// <param name="Subject">Whom it acts for.</param>
/// <param name="Name">Its label.</param>
/// <param name="Scopes">The role entries it may use.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="ExpiresAt">When it stops working.</param>
/// <param name="RevokedAt">When it was revoked, if it was.</param>
/// <param name="Token">The secret: only in the answer that created it, shown once.</param>
public sealed record TokenView(string Id, string Subject, string Name, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? RevokedAt, string? Token = null)
{
    /// <summary>The view of <paramref name="token"/>, with <paramref name="secret"/> when just created.</summary>
    public static TokenView Of(ApiToken token, string? secret = null)
    {
        ArgumentNullException.ThrowIfNull(token);
        return new TokenView(token.Id, token.Subject, token.Name, token.Scopes, token.CreatedAt, token.ExpiresAt, token.RevokedAt, secret);
    }
}
