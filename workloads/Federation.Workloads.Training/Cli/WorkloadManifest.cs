namespace Federation.Workloads.Training.Cli;

/// <summary>
/// The JSON manifest a verb reads (docs/workloads.md): paths of inputs and outputs and the
/// hyper-parameters. Relative paths are relative to the manifest's folder. Unknown fields are refused.
/// </summary>
public sealed class WorkloadManifest
{
    /// <summary><c>generate</c>: the nation whose population profile is drawn (e.g. <c>FR</c>).</summary>
    public string? Nation { get; init; }

    /// <summary><c>generate</c>: rows to make.</summary>
    public int? Rows { get; init; }

    /// <summary><c>generate</c>: the stem of the files made (default: the nation code in lower case).</summary>
    public string? Name { get; init; }

    /// <summary>Seeds generation, initialisation and batch order. Default 1.</summary>
    public long Seed { get; init; } = 1;

    /// <summary><c>train</c>, <c>evaluate</c>, <c>centralized</c>: CSV files (pooled in order).</summary>
    public IReadOnlyList<string?>? Data { get; init; }

    /// <summary><c>train</c>, <c>centralized</c>: the starting weights (<c>.f32</c>); absent: initialised from <see cref="Seed"/>.</summary>
    public string? InitialWeights { get; init; }

    /// <summary><c>evaluate</c>: the weights (<c>.f32</c>) to evaluate.</summary>
    public string? Model { get; init; }

    /// <summary><c>aggregate</c>: the participants' weights (<c>.f32</c>), each with its header.</summary>
    public IReadOnlyList<string?>? Weights { get; init; }

    /// <summary>Where the verb writes its files (made if missing).</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>Local epochs per round. Default 1.</summary>
    public int Epochs { get; init; } = 1;

    /// <summary><c>centralized</c>: rounds of the federated run it is compared with; it trains <c>rounds × epochs</c> epochs. Default 1.</summary>
    public int Rounds { get; init; } = 1;

    /// <summary>The federated round (mixes into the batch order). Default 0.</summary>
    public int Round { get; init; }

    /// <summary>SGD step size. Default 0.1.</summary>
    public double LearningRate { get; init; } = 0.1;

    /// <summary>Rows per SGD step. Default 32.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>FedProx's μ (0 = FedAvg). Default 0.</summary>
    public double ProximalMu { get; init; }

    /// <summary>Hidden units of freshly initialised weights. Default 32.</summary>
    public int HiddenUnits { get; init; } = 32;
}
