using Federation.Contracts.Catalogue.Datasets;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Federation.Conventions.Tests;

/// <summary>An Orleans serializer configured with the contracts assembly only, as a client would have it.</summary>
public sealed class OrleansSerializerFixture : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection()
        .AddSerializer(builder => builder.AddAssembly(typeof(DatasetRecord).Assembly))
        .BuildServiceProvider();

    public Serializer Serializer => _services.GetRequiredService<Serializer>();

    public void Dispose() => _services.Dispose();
}
