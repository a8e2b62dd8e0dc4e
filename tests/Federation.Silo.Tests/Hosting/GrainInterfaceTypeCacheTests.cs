using Federation.Contracts.Grains;
using Federation.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Metadata;

namespace Federation.Silo.Tests.Hosting;

/// <summary>
/// The silo answers grain interface types from <see cref="CachedGrainInterfaceTypes"/> (registered first among the
/// providers), with the same answers as Orleans' own providers give without it: for interfaces named by attribute, by
/// convention, and generic ones.
/// </summary>
public sealed class GrainInterfaceTypeCacheTests(SharedSilo fixture) : IClassFixture<SharedSilo>
{
    /// <summary>A grain interface without <c>[GrainInterfaceType]</c>: Orleans names it by convention.</summary>
    public interface IConventionNamed : IGrainWithStringKey
    {
        Task<int> CountAsync();
    }

    /// <summary>A generic grain interface: Orleans adds its type arguments to the name.</summary>
    /// <typeparam name="T">Anything.</typeparam>
    public interface IGenericNamed<T> : IGrainWithStringKey
    {
        Task<T> GetAsync();
    }

    public static TheoryData<Type> Interfaces =>
    [
        typeof(IJobGrain), typeof(IExecutionGrain), typeof(IDatasetGrain), typeof(ICapacityLedgerGrain),
        typeof(IConventionNamed), typeof(IGenericNamed<string>), typeof(IGenericNamed<IGenericNamed<int>>), typeof(IGenericNamed<>),
    ];

    [Fact]
    public void Providers_OfTheSilo_CacheFirst() =>
        Assert.IsType<CachedGrainInterfaceTypes>(fixture.Silo.Services.GetServices<IGrainInterfaceTypeProvider>().First());

    [Theory]
    [MemberData(nameof(Interfaces))]
    public void GetGrainInterfaceType_AnyGrainInterface_SameAsOrleansOwnProvidersAndRemembered(Type type)
    {
        var services = fixture.Silo.Services;
        var others = services.GetServices<IGrainInterfaceTypeProvider>().Where(p => p is not CachedGrainInterfaceTypes);
        var without = new GrainInterfaceTypeResolver(others, services.GetRequiredService<Orleans.Serialization.TypeSystem.TypeConverter>());
        var cache = new CachedGrainInterfaceTypes(services);
        Assert.False(cache.Remembers(type));

        var first = cache.TryGetGrainInterfaceType(type, out var answered);
        var again = cache.TryGetGrainInterfaceType(type, out var remembered);

        Assert.True(first && again);
        Assert.True(cache.Remembers(type));
        Assert.Equal(without.GetGrainInterfaceType(type), answered);
        Assert.Equal(answered, remembered);
        Assert.Equal(answered, services.GetRequiredService<GrainInterfaceTypeResolver>().GetGrainInterfaceType(type));
    }

    [Fact]
    public void TryGetGrainInterfaceType_NotAnInterface_NotAnswered()
    {
        var cache = new CachedGrainInterfaceTypes(fixture.Silo.Services);

        Assert.False(cache.TryGetGrainInterfaceType(typeof(string), out _));
        Assert.False(cache.Remembers(typeof(string)));
    }

    [Fact]
    public async Task GetGrain_ThroughTheCache_ReachesTheGrain()
    {
        var grains = fixture.Silo.Services.GetRequiredService<IGrainFactory>();
        var key = $"cache-{Guid.NewGuid():N}";

        Assert.Null(await grains.GetGrain<IDatasetGrain>(key).GetAsync());
        Assert.Null(await grains.GetGrain<IDatasetGrain>(key).GetAsync());
        Assert.Equal(grains.GetGrain<IDatasetGrain>(key).GetGrainId(), grains.GetGrain<IDatasetGrain>(key).GetGrainId());
    }
}
