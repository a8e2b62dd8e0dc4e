namespace Federation.Fuzz.Tests;

/// <summary>The API a fuzzed request goes to.</summary>
public enum FuzzApi
{
    /// <summary>The user API (<c>/api/v1</c>).</summary>
    User,

    /// <summary>The federation API (<c>/federation/v1</c>), over mutual TLS with a rostered certificate.</summary>
    Federation,
}
