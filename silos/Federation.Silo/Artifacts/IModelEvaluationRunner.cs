namespace Federation.Silo.Artifacts;

/// <summary>Runs an evaluation of a model file on a dataset file of this nation, by the workloads' files-and-manifest contract.</summary>
public interface IModelEvaluationRunner
{
    /// <summary>Evaluates the model at <paramref name="modelPath"/> on the data at <paramref name="dataPath"/>.</summary>
    /// <exception cref="InvalidOperationException">No evaluation program is configured, or it failed; the message says which and why.</exception>
    Task<EvaluationMetrics> RunAsync(string modelPath, string dataPath, CancellationToken ct);
}
