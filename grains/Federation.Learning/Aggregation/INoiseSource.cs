namespace Federation.Learning.Aggregation;

/// <summary>Standard normal draws for differential-privacy noise.</summary>
public interface INoiseSource
{
    /// <summary>One draw from N(0, 1).</summary>
    double NextStandardNormal();
}
