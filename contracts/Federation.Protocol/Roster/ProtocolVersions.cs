namespace Federation.Protocol.Roster;

/// <summary>The federation protocol versions this implementation speaks.</summary>
public static class ProtocolVersions
{
    /// <summary>The current version, as it appears in <c>/federation/v1/</c>.</summary>
    public const string Current = "1";

    /// <summary>Every version served.</summary>
    public static IReadOnlyList<string> Supported { get; } = [Current];
}
