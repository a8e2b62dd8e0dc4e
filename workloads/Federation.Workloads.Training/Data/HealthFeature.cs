namespace Federation.Workloads.Training.Data;

/// <summary>
/// One column of the synthetic health table, with the fixed centre and scale that both the ground
/// truth and the network use (standardised value = (raw - Centre) / Scale). The scaling is part of the
/// published schema, not computed from any nation's rows, so no data statistics need to be shared.
/// </summary>
/// <param name="Name">The CSV column name.</param>
/// <param name="Unit">The unit of the raw value.</param>
/// <param name="Description">What the column means.</param>
/// <param name="Centre">Subtracted before the model sees the value.</param>
/// <param name="Scale">Divides the centred value.</param>
public sealed record HealthFeature(string Name, string Unit, string Description, double Centre, double Scale)
{
    /// <summary>The feature columns, in CSV and model-input order.</summary>
    public static IReadOnlyList<HealthFeature> All { get; } =
    [
        new("age", "years", "age at the visit", 55, 12),
        new("bmi", "kg/m2", "body-mass index", 27, 5),
        new("systolic", "mmHg", "systolic blood pressure", 135, 18),
        new("smoker", "0/1", "current smoker", 0, 1),
        new("hba1c", "%", "glycated haemoglobin", 5.8, 0.8),
        new("activity", "hours/week", "moderate physical activity", 4, 3),
    ];

    /// <summary>The outcome column: 1 when the (synthetic) cardiometabolic event happened within five years.</summary>
    public const string OutcomeColumn = "outcome";

    /// <summary>The standardised value of a raw one.</summary>
    public double Standardise(double raw) => (raw - Centre) / Scale;
}
