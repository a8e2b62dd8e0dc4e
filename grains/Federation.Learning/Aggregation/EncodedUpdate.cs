using System.Collections.Immutable;

namespace Federation.Learning.Aggregation;

/// <summary>
/// A nation's update ready for masking: quantised weight·update with the weight appended as the last
/// entry, the weight used, and whether clipping changed it.
/// </summary>
public sealed record EncodedUpdate(ImmutableArray<uint> Levels, double Weight, bool NormClipped, int ClippedCoordinates);
