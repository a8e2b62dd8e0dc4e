using Federation.Contracts.Grains;

namespace Federation.Grains.Execution.Ledger;

/// <summary>A run in line for accelerators, as the capacity ledger keeps it.</summary>
/// <param name="Holder">The execution's key.</param>
/// <param name="Claim">What it can use and its rank, as it last told.</param>
/// <param name="Arrived">When it first got in line: its place among runs of the same rank.</param>
[GenerateSerializer, Immutable, Alias("fed.LedgerWaiter")]
public sealed record LedgerWaiter(
    [property: Id(0)] string Holder,
    [property: Id(1)] WaitClaim Claim,
    [property: Id(2)] DateTimeOffset Arrived);
