namespace Federation.Silo.Options;

/// <summary>Bearer tokens (section <c>Federation:Auth</c>).</summary>
public sealed class AuthOptions
{
    /// <summary>Tokens of operators: may write the catalogue and open the dashboard.</summary>
    public List<string> AdminTokens { get; set; } = [];

    /// <summary>One token per node agent, by node id: may send that node's heartbeats.</summary>
    public Dictionary<string, string> NodeTokens { get; set; } = [];

    /// <summary>Whether reads need a token too (configured mode; embedded mode is always open).</summary>
    public bool ReadsRequireToken { get; set; }
}
