using Federation.Contracts.Ids;
using Federation.Contracts.Learning;

namespace Federation.Contracts.Grains;

/// <summary>
/// The aggregating nation's coordinator of one federated job's run (key <see cref="KeyOf"/>): it holds
/// the run's decider, persists the round, the global weights and the round records (never keys),
/// sends round messages to the contributors and takes their answers.
/// </summary>
[Alias("fed.IFederatedRunGrain"), GrainInterfaceType("fed.IFederatedRunGrain")]
public interface IFederatedRunGrain : IOutboxClient
{
    /// <summary>The grain key of <paramref name="job"/>'s run.</summary>
    static string KeyOf(JobRef job) => "run-" + job;

    /// <summary>
    /// Takes a round message (its wire document as JSON) that <paramref name="sender"/> (the authenticated
    /// peer) sent; the grain reads it strictly again and hands it to the decider.
    /// </summary>
    [Alias("ReceiveAsync")]
    Task<RoundDelivery> ReceiveAsync(NationCode sender, string document);

    /// <summary>
    /// Holds the run of <paramref name="plan"/> (idempotent for the same plan): it opens round 1 once every
    /// contributor has reported ready, so that their federation keys are known.
    /// </summary>
    [Alias("StartAsync")]
    Task<FederatedRunStatus> StartAsync(FederatedRunPlan plan);

    /// <summary>Stops the run for <paramref name="reason"/> (its execution was stopped or fenced); a run that ended is left alone.</summary>
    [Alias("StopAsync")]
    Task<FederatedRunStatus> StopAsync(string reason);

    /// <summary>Where the run stands.</summary>
    [Alias("GetStatusAsync")]
    Task<FederatedRunStatus> GetStatusAsync();

    /// <summary>The global model as it stands (after the last completed round; the final model once the run succeeded); empty when no run is held here.</summary>
    [Alias("GetGlobalWeightsAsync")]
    Task<System.Collections.Immutable.ImmutableArray<double>> GetGlobalWeightsAsync();

    /// <summary>What the run's round records say about its model (steps with energy, final metrics, privacy budget); null when no run is held here.</summary>
    [Alias("GetLineageAsync")]
    Task<FederatedRunLineage?> GetLineageAsync();
}
