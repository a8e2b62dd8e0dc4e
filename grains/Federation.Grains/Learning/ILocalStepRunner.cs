using Federation.Contracts.Grains;
using Federation.Contracts.Learning;
using Federation.Learning.Run;

namespace Federation.Grains.Learning;

/// <summary>
/// Runs a data nation's local training step (the training workload on its own dataset from the round's
/// global weights) outside the grain's turn, and reports the outcome to <see cref="IRunParticipantGrain.StepDoneAsync"/>.
/// </summary>
public interface ILocalStepRunner
{
    /// <summary>Starts the step of <paramref name="request"/> for <paramref name="participation"/>; the outcome goes to <paramref name="replyTo"/>.</summary>
    void Run(RunParticipation participation, LocalStepRequest request, IRunParticipantGrain replyTo);
}
