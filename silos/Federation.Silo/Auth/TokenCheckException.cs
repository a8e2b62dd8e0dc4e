namespace Federation.Silo.Auth;

/// <summary>A presented token failed a check; <see cref="Check"/> names it for the 401 answer.</summary>
public sealed class TokenCheckException : Exception
{
    /// <summary>Creates the failure.</summary>
    public TokenCheckException(string check, string message)
        : base(message) => Check = check;

    /// <summary>Creates the failure (serialization and analyzers).</summary>
    public TokenCheckException()
        : this("token", "The token was not accepted.")
    {
    }

    /// <summary>Creates the failure (analyzers).</summary>
    public TokenCheckException(string message)
        : this("token", message)
    {
    }

    /// <summary>Creates the failure (analyzers).</summary>
    public TokenCheckException(string message, Exception innerException)
        : base(message, innerException) => Check = "token";

    /// <summary>The check that failed: <c>issuer</c>, <c>token</c>, <c>expiry</c>, <c>revoked</c>.</summary>
    public string Check { get; }
}
