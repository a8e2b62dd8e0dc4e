namespace Federation.Protocol.Usage;

/// <summary>The route of usage reports on the federation API.</summary>
public static class UsageReportRoutes
{
    /// <summary>The receiver's path under <c>/federation/v1</c>.</summary>
    public const string Path = "/shares/usage-reports";

    /// <summary>The sender's route, relative to the peer's base address.</summary>
    public const string Reports = "federation/v1" + Path;
}
