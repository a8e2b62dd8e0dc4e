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

    /// <summary>The run of <paramref name="job"/> ended: deletes this nation's round material of it (once a step in flight is done).</summary>
    Task ForgetAsync(Federation.Contracts.Ids.JobRef job) => Task.CompletedTask;
}
