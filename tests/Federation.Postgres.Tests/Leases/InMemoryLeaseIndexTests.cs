using Federation.Grains.Jobs.Leases;

namespace Federation.Postgres.Tests.Leases;

/// <summary>The lease index contract against the embedded mode's in-memory index.</summary>
public sealed class InMemoryLeaseIndexTests : LeaseIndexContractTests
{
    protected override ValueTask<ILeaseIndex> CreateEmptyIndexAsync() => ValueTask.FromResult<ILeaseIndex>(new InMemoryLeaseIndex());
}
