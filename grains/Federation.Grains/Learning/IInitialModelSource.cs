using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;

namespace Federation.Grains.Learning;

/// <summary>
/// Makes a federated run's initial global model at the aggregating nation (the reference: the training
/// workload's fresh weights for the spec's seed and shape), and tells any nation the model's tensor
/// layout, which the weights' file header needs. Called outside a grain's turn: it may start a process.
/// </summary>
public interface IInitialModelSource
{
    /// <summary>The initial model of <paramref name="job"/>'s run under <paramref name="terms"/>; throws <see cref="InvalidOperationException"/> naming why none can be made.</summary>
    Task<InitialModel> CreateAsync(JobRef job, FederatedSpec terms, CancellationToken cancellationToken);
}
