namespace Federation.Contracts.Catalogue.Nodes;

/// <summary>Where a power figure comes from.</summary>
public enum PowerSource
{
    /// <summary>The accelerator table's board power (TDP) times the count: an estimate.</summary>
    TdpEstimate = 0,

    /// <summary>Reported by the node (e.g. nvidia-smi).</summary>
    Measured = 1,
}
