using Federation.Grains.Jobs;

namespace Federation.Postgres.Tests.Jobs;

/// <summary>The job index contract against the embedded mode's in-memory index.</summary>
public sealed class InMemoryJobIndexTests : JobIndexContractTests
{
    protected override ValueTask<IJobIndex> CreateEmptyIndexAsync() => ValueTask.FromResult<IJobIndex>(new InMemoryJobIndex());
}
