namespace Federation.Contracts.Jobs.Requests;

/// <summary>Differential privacy: <c>{"clipNorm": 1.0, "noiseMultiplier": 1.1}</c>.</summary>
public sealed class PrivacyRequest
{
    /// <summary>The L2 norm each update is clipped to, more than 0.</summary>
    public double? ClipNorm { get; set; }

    /// <summary>The Gaussian noise's standard deviation over the clip norm, more than 0.</summary>
    public double? NoiseMultiplier { get; set; }
}
