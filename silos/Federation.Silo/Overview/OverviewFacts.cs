using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Peers;
using Federation.Protocol.Roster;
using Federation.Transparency;

namespace Federation.Silo.Overview;

/// <summary>What the overview is made from, as read at one moment (<see cref="OverviewSource"/>); nothing here is trusted for display.</summary>
/// <param name="Now">When the facts were read.</param>
/// <param name="Local">This nation.</param>
/// <param name="Roster">Every nation of the roster, this one included.</param>
/// <param name="LocalAdvert">The advert this nation would send now (its own capacity and carbon), if it could be built.</param>
/// <param name="Peers">This nation's view of each peer, with the transparency-log verdict filled in.</param>
/// <param name="Jobs">Jobs this nation originated, at most <see cref="OverviewOptions.MaxJobs"/>.</param>
/// <param name="JobsTruncated">True when there were more jobs than were read.</param>
/// <param name="Refusals">Refusal entries of this nation's transparency log, oldest first.</param>
/// <param name="Silos">This nation's silos, from Orleans' membership.</param>
public sealed record OverviewFacts(
    DateTimeOffset Now,
    NationCode Local,
    IReadOnlyList<RosterEntry> Roster,
    CapabilityAdvert? LocalAdvert,
    IReadOnlyList<PeerStatus> Peers,
    IReadOnlyList<JobRecord> Jobs,
    bool JobsTruncated,
    IReadOnlyList<TransparencyEntry> Refusals,
    IReadOnlyList<SiloFact> Silos);
