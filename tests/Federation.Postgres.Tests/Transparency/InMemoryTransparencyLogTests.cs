using Federation.Transparency;

namespace Federation.Postgres.Tests.Transparency;

/// <summary>The transparency log contract against the embedded mode's in-memory log.</summary>
public sealed class InMemoryTransparencyLogTests : TransparencyLogContractTests
{
    protected override ValueTask<ITransparencyLog> CreateEmptyLogAsync() => ValueTask.FromResult<ITransparencyLog>(new InMemoryTransparencyLog());
}
