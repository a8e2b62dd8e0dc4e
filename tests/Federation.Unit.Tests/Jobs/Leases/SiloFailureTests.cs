using System.Collections.Immutable;
using System.Net;
using Federation.Silo.Jobs.Leases;

namespace Federation.Unit.Tests.Jobs.Leases;

/// <summary>
/// Which membership changes make the nation's sweeper wake every live entry: another silo newly
/// declared dead; not the dead of earlier runs in the first snapshot, not this silo, not a silo
/// that was dead already or only shutting down.
/// </summary>
public sealed class SiloFailureTests
{
    private static readonly SiloAddress s_self = Silo(11111);
    private static readonly SiloAddress s_other = Silo(11112);
    private static readonly SiloAddress s_oldRun = Silo(11113);

    [Fact]
    public void FirstSnapshot_DeadOfEarlierRuns_NoFailure()
    {
        var first = Snapshot(1, (s_self, SiloStatus.Active), (s_oldRun, SiloStatus.Dead));

        Assert.Empty(LeaseSweeperStarter.NewlyDead(null, first, s_self));
    }

    [Fact]
    public void AnotherSilo_ActiveOrShuttingDown_ThenDead_IsNewlyDead_Once()
    {
        var before = Snapshot(1, (s_self, SiloStatus.Active), (s_other, SiloStatus.Active), (s_oldRun, SiloStatus.Dead));
        var stopping = Snapshot(2, (s_self, SiloStatus.Active), (s_other, SiloStatus.ShuttingDown), (s_oldRun, SiloStatus.Dead));
        var dead = Snapshot(3, (s_self, SiloStatus.Active), (s_other, SiloStatus.Dead), (s_oldRun, SiloStatus.Dead));
        var later = Snapshot(4, (s_self, SiloStatus.Active), (s_other, SiloStatus.Dead));

        Assert.Empty(LeaseSweeperStarter.NewlyDead(before, stopping, s_self));
        Assert.Equal([s_other], LeaseSweeperStarter.NewlyDead(stopping, dead, s_self));
        Assert.Equal([s_other], LeaseSweeperStarter.NewlyDead(before, dead, s_self));
        Assert.Empty(LeaseSweeperStarter.NewlyDead(dead, later, s_self));
    }

    [Fact]
    public void ThisSilo_DeclaredDead_NotItsOwnFailure()
    {
        var before = Snapshot(1, (s_self, SiloStatus.Active));
        var after = Snapshot(2, (s_self, SiloStatus.Dead));

        Assert.Empty(LeaseSweeperStarter.NewlyDead(before, after, s_self));
    }

    private static SiloAddress Silo(int port) => SiloAddress.New(new IPEndPoint(IPAddress.Loopback, port), 1);

    private static ClusterMembershipSnapshot Snapshot(long version, params (SiloAddress Silo, SiloStatus Status)[] members) =>
        new(members.ToImmutableDictionary(m => m.Silo, m => new ClusterMember(m.Silo, m.Status, $"silo-{m.Silo.Endpoint.Port}")), new MembershipVersion(version));
}
