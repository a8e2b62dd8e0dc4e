namespace Federation.Contracts.Routing;

/// <summary>Why a candidate nation was excluded.</summary>
/// <param name="Rule">The filter that excluded it.</param>
/// <param name="Reason">The sentence for people, e.g. "dataset FR/cancer-registry may be processed only in FR, not in DE".</param>
/// <param name="Subject">What the rule was applied to, when it is one thing: a dataset ref, an accelerator slug, a workload.</param>
/// <param name="Code">A finer code where one exists, e.g. the DUO code of a data-use term.</param>
[GenerateSerializer, Immutable, Alias("fed.Exclusion")]
public sealed record Exclusion(
    [property: Id(0)] RoutingRule Rule,
    [property: Id(1)] string Reason,
    [property: Id(2)] string? Subject = null,
    [property: Id(3)] string? Code = null)
{
    /// <inheritdoc />
    public override string ToString() => Reason;
}
