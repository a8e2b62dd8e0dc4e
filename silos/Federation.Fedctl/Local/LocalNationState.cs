namespace Federation.Fedctl.Local;

/// <summary>One nation started by the local launcher.</summary>
public sealed record LocalNationState(
    string Code,
    int Pid,
    string ApiUrl,
    string DashboardUrl,
    string FederationUrl,
    string Log,
    string? Database,
    IReadOnlyList<string> Arguments);
