using Federation.Contracts.Grains;
using Federation.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Metadata;

namespace Federation.Silo.Tests.Hosting;

/// <summary>
/// The silo answers grain interface types from <see cref="CachedGrainInterfaceTypes"/> (registered first among the
/// providers), with the same answers as Orleans' own providers give without it.
/// </summary>
public sealed class GrainInterfaceTypeCacheTests(SharedSilo fixture) : IClassFixture<SharedSilo>
{
    public static TheoryData<Type> Interfaces => [typeof(IJobGrain), typeof(IExecutionGrain), typeof(IDatasetGrain), typeof(ICapacityLedgerGrain)];

    [Theory]
    [MemberData(nameof(Interfaces))]
    public void GetGrainInterfaceType_AnyGrainInterface_SameAsOrleansOwnProvidersAndRemembered(Type type)
    {
        var services = fixture.Silo.Services;
        var providers = services.GetServices<IGrainInterfaceTypeProvider>().ToList();
        var cache = Assert.IsType<CachedGrainInterfaceTypes>(providers[0]);
        var without = new GrainInterfaceTypeResolver(providers.Skip(1), services.GetRequiredService<Orleans.Serialization.TypeSystem.TypeConverter>());

        var answered = services.GetRequiredService<GrainInterfaceTypeResolver>().GetGrainInterfaceType(type);

        Assert.Equal(without.GetGrainInterfaceType(type), answered);
        Assert.True(cache.Remembers(type));
        Assert.True(cache.TryGetGrainInterfaceType(type, out var remembered));
        Assert.Equal(answered, remembered);
    }

    [Fact]
    public async Task GetGrain_ThroughTheCache_ReachesTheGrain()
    {
        var grains = fixture.Silo.Services.GetRequiredService<IGrainFactory>();
        var key = $"cache-{Guid.NewGuid():N}";

        // Twice: the second reference comes from the remembered interface type.
        Assert.Null(await grains.GetGrain<IDatasetGrain>(key).GetAsync());
        Assert.Null(await grains.GetGrain<IDatasetGrain>(key).GetAsync());
        Assert.Equal(grains.GetGrain<IDatasetGrain>(key).GetGrainId(), grains.GetGrain<IDatasetGrain>(key).GetGrainId());
    }
}
