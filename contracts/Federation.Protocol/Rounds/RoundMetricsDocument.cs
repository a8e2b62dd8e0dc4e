namespace Federation.Protocol.Rounds;

/// <summary>A contributor's round metrics on the wire: the local model's log loss, accuracy (0 to 1) and validation rows.</summary>
public sealed record RoundMetricsDocument(double ValidationLoss, double ValidationAccuracy, long ValidationSamples);
