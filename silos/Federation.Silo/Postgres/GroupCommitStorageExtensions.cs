using Orleans.Configuration;
using Orleans.Storage;

namespace Federation.Silo.Postgres;

/// <summary>Registers <see cref="GroupCommitGrainStorage"/> in place of the ADO.NET grain storage of one name.</summary>
public static class GroupCommitStorageExtensions
{
    /// <summary>
    /// The ADO.NET grain storage named <paramref name="name"/>, configured by <paramref name="configure"/>
    /// exactly as <c>AddAdoNetGrainStorage</c> configures it (options, serializer and hash picker
    /// defaults, validation), with its writes group-committed by <see cref="GroupCommitGrainStorage"/>.
    /// </summary>
    public static ISiloBuilder AddGroupCommitGrainStorage(this ISiloBuilder silo, string name, Action<AdoNetGrainStorageOptions> configure)
    {
        silo.AddAdoNetGrainStorage(name, configure);

        // The last keyed registration wins: grains, and the lifecycle registration the ADO.NET call
        // made for this name, resolve this storage, which wraps a provider instance of its own.
        silo.Services.AddKeyedSingleton<IGrainStorage>(name, (services, _) => GroupCommitGrainStorage.Create(services, name));
        return silo;
    }
}
