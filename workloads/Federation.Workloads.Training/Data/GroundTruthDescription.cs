namespace Federation.Workloads.Training.Data;

/// <summary>The ground-truth outcome model as written in a dataset schema.</summary>
/// <param name="Formula">The formula in words.</param>
/// <param name="Intercept">Its intercept.</param>
/// <param name="Coefficients">Its coefficient per standardised feature.</param>
/// <param name="AgeHba1cInteraction">Its interaction coefficient.</param>
public sealed record GroundTruthDescription(string Formula, double Intercept, IReadOnlyDictionary<string, double> Coefficients, double AgeHba1cInteraction);
