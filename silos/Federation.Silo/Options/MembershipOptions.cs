namespace Federation.Silo.Options;

/// <summary>
/// Orleans membership timing (section <c>Federation:Membership</c>): how fast a dead silo is
/// detected. Detection takes about ProbeTimeout x MissedProbesLimit plus a vote.
/// </summary>
public sealed class MembershipOptions
{
    /// <summary>Timeout of one probe between silos.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Missed probes before a silo is suspected.</summary>
    public int MissedProbesLimit { get; set; } = 3;
}
