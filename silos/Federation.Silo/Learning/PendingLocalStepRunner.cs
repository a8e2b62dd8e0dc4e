using Federation.Contracts.Grains;
using Federation.Contracts.Learning;
using Federation.Grains.Learning;
using Federation.Learning.Run;

namespace Federation.Silo.Learning;

/// <summary>
/// The local step until the training workload runs through the executor's process engine: it reports
/// every step as failed, naming why, so that the nation drops out of the round and the aggregator's
/// round policy decides. Tests replace it with a runner of their own.
/// </summary>
public sealed class PendingLocalStepRunner : ILocalStepRunner
{
    /// <summary>The error every step reports.</summary>
    public const string Error = "local training steps do not run in this silo yet: the training workload is not wired to the executor.";

    /// <inheritdoc />
    public void Run(RunParticipation participation, LocalStepRequest request, IRunParticipantGrain replyTo)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(replyTo);
        _ = replyTo.StepDoneAsync(new LocalStepOutcome(request.Session.Round, [], 0, 0, 0, 0, Error));
    }
}
