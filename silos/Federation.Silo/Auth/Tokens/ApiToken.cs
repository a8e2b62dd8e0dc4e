namespace Federation.Silo.Auth.Tokens;

/// <summary>
/// A token a user created (<c>fedctl token create</c>): only its secret's SHA-256 is kept. It acts
/// for <see cref="Subject"/> with at most the role entries in <see cref="Scopes"/>, which its creator
/// held when creating it; entries that came from a grant hold only while the grant does.
/// </summary>
/// <param name="Id">Public id (<c>tok-</c> and 12 hex digits), the part of the token that names it.</param>
/// <param name="Subject">Whom it acts for.</param>
/// <param name="Name">The creator's label for it.</param>
/// <param name="Sha256">SHA-256 of the whole token.</param>
/// <param name="Scopes">Role entries, <c>role</c> or <c>role:scope</c>.</param>
/// <param name="Granted">The entries of <see cref="Scopes"/> that came from the nation's grants.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="ExpiresAt">When it stops working.</param>
/// <param name="RevokedAt">When it was revoked, if it was.</param>
public sealed record ApiToken(
    string Id,
    string Subject,
    string Name,
    byte[] Sha256,
    IReadOnlyList<string> Scopes,
    IReadOnlyList<string> Granted,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? RevokedAt);
