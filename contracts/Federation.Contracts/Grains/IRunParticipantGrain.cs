using Federation.Contracts.Ids;
using Federation.Contracts.Learning;

namespace Federation.Contracts.Grains;

/// <summary>
/// A data nation's part of one federated job's run (key <see cref="KeyOf"/>): it holds the participant's
/// decider (its round keys only in memory), runs the local step and answers the aggregator.
/// </summary>
[Alias("fed.IRunParticipantGrain"), GrainInterfaceType("fed.IRunParticipantGrain")]
public interface IRunParticipantGrain : IOutboxClient
{
    /// <summary>The grain key of this nation's part in <paramref name="job"/>'s run.</summary>
    static string KeyOf(JobRef job) => "part-" + job;

    /// <summary>Takes a round message (its wire document as JSON) that <paramref name="sender"/> (the authenticated peer) sent.</summary>
    [Alias("ReceiveAsync")]
    Task<RoundDelivery> ReceiveAsync(NationCode sender, string document);

    /// <summary>Takes part in a run (idempotent): remembers the terms and tells the aggregator this nation is ready.</summary>
    [Alias("JoinAsync")]
    Task JoinAsync(RunParticipation participation);

    /// <summary>The local training step that the grain asked its edge to run has ended.</summary>
    [Alias("StepDoneAsync")]
    Task StepDoneAsync(LocalStepOutcome outcome);
}
