namespace Federation.Silo.Auth.Foreign;

/// <summary>
/// <c>Federation:Auth:Foreign</c>: the rules this nation applies to the identities other nations
/// vouch for in their offers; <see cref="Origins"/> replaces them for one origin.
/// </summary>
public sealed class ForeignIdentityOptions : ForeignIdentityRules
{
    /// <summary>Rules for one origin (by nation code), replacing the nation-wide ones for its offers.</summary>
    public Dictionary<string, ForeignIdentityRules> Origins { get; set; } = [];

    /// <summary>The rules for offers from <paramref name="origin"/>.</summary>
    public ForeignIdentityRules For(string origin) => Origins.TryGetValue(origin, out var rules) && rules is not null ? rules : this;
}
