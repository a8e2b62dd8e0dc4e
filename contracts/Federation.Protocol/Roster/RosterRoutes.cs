namespace Federation.Protocol.Roster;

/// <summary>The governed roster's federation routes (under <c>/federation/v1</c>).</summary>
public static class RosterRoutes
{
    /// <summary><c>GET</c>: the roster version in force, with its signatures.</summary>
    public const string CurrentPath = "/roster";

    /// <summary><c>POST</c>: offers a signed roster version (applied when it is the valid successor).</summary>
    public const string VersionsPath = "/roster/versions";

    /// <summary><c>GET</c>: one version of the chain this nation holds.</summary>
    public const string VersionPath = "/roster/versions/{version:long}";

    /// <summary>The current roster, relative to the federation base address.</summary>
    public const string Current = "federation/v1" + CurrentPath;

    /// <summary>Where versions are offered, relative to the federation base address.</summary>
    public const string Versions = "federation/v1" + VersionsPath;

    /// <summary>One version, relative to the federation base address.</summary>
    public static string Version(long version) => $"federation/v1/roster/versions/{version}";
}
