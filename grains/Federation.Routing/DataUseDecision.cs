using System.Collections.Immutable;

namespace Federation.Routing;

/// <summary>The outcome of <see cref="DataUseMatcher.Check"/>.</summary>
/// <param name="Allowed">True when every DUO term of the conditions is met.</param>
/// <param name="Reasons">Every term that is not met, in the order of the decision table; empty when allowed.</param>
public sealed record DataUseDecision(bool Allowed, ImmutableArray<DataUseReason> Reasons)
{
    /// <summary>Every term is met.</summary>
    public static DataUseDecision Allow { get; } = new(true, []);

    /// <inheritdoc />
    public bool Equals(DataUseDecision? other) =>
        other is not null && Allowed == other.Allowed && Reasons.SequenceEqual(other.Reasons);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Allowed, Reasons.Length);
}
