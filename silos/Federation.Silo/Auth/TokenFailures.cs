using Microsoft.IdentityModel.Tokens;

namespace Federation.Silo.Auth;

/// <summary>Names the check a JWT failed, from the validation's exception.</summary>
public static class TokenFailures
{
    /// <summary>The check (<c>issuer</c>, <c>audience</c>, <c>signature</c>, <c>expiry</c>, <c>issuer-keys</c>, <c>token</c>) and a sentence for the caller.</summary>
    public static (string Check, string Detail) Describe(Exception? failure, string issuerName) => failure switch
    {
        SecurityTokenInvalidIssuerException e => ("issuer", $"The token's issuer '{e.InvalidIssuer}' is not the one configured for '{issuerName}'."),
        SecurityTokenInvalidAudienceException e => ("audience", $"The token's audience '{e.InvalidAudience}' is not this nation's audience for issuer '{issuerName}'."),
        SecurityTokenExpiredException e => ("expiry", $"The token expired at {e.Expires:u}."),
        SecurityTokenNotYetValidException e => ("expiry", $"The token is not valid before {e.NotBefore:u}."),
        SecurityTokenNoExpirationException => ("expiry", "The token has no expiry (exp)."),
        SecurityTokenSignatureKeyNotFoundException => ("signature", $"The token is signed by a key that issuer '{issuerName}' does not publish."),
        SecurityTokenInvalidSignatureException => ("signature", $"The token's signature does not verify with issuer '{issuerName}''s keys."),
        SecurityTokenMalformedException => ("token", "The token is not a well-formed JWT."),
        InvalidOperationException => ("issuer-keys", $"The discovery document or keys of issuer '{issuerName}' could not be read; try again later."),
        null => ("token", "The token was not accepted."),
        _ => ("token", $"The token was not accepted: {failure.GetType().Name}."),
    };
}
