namespace Federation.Contracts.Catalogue.Datasets;

/// <summary>
/// What the dataset's steward lets leave its home nation when a job reads it in place (a local step of a
/// federated job): never rows. The default, <see cref="None"/>, keeps today's rule that every output of
/// home-only data stays home.
/// </summary>
public enum ExportPolicy
{
    /// <summary>Nothing derived from the data leaves home (the default).</summary>
    None = 0,

    /// <summary>Only metrics (loss, accuracy, counts) may leave, after disclosure control; no model updates.</summary>
    Metrics = 1,

    /// <summary>Model updates may leave only masked by secure aggregation, so that the receiver learns only a sum (and metrics, as <see cref="Metrics"/>).</summary>
    MaskedUpdates = 2,

    /// <summary>Plain model updates may leave (and masked ones, and metrics).</summary>
    Updates = 3,
}
