using Federation.Contracts.Ids;

namespace Federation.Learning.Run;

/// <summary>
/// The coordinator's request to its grain: invite <paramref name="Nation"/> to <paramref name="Job"/>'s run
/// again (its invitation, as at the start). Sent for a contributor that answered that it holds no run (it
/// restarted without its state) and, while a round waits, for the contributors it waits for, so that a
/// nation that returns rejoins, reports ready and the round restarts with fresh keys. Never on the wire itself.
/// </summary>
/// <param name="Job">The federated job.</param>
/// <param name="Nation">The contributor to invite again.</param>
public sealed record RunRejoin(JobRef Job, NationCode Nation);
