using System.Net;
using Federation.Grains;
using Federation.Grains.Catalogue.Index;
using Federation.Grains.Jobs;
using Federation.Grains.Jobs.Leases;
using Federation.Silo.Hosting;
using Federation.Silo.Jobs.Leases;
using Federation.Silo.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Storage;

namespace Federation.Silo.Postgres;

/// <summary>
/// The persistence feature of a nation's silo. Embedded (no connection string): in memory, on localhost.
/// Configured: PostgreSQL for membership, reminders, grain state and the read models, with one bounded
/// connection pool size for every user of the database, so that several silos stay under PostgreSQL's
/// <c>max_connections</c>.
/// </summary>
public static class PersistenceHostingExtensions
{
    private static readonly string[] s_grainStorages = [GrainStorageNames.Catalogue, GrainStorageNames.Jobs];

    /// <summary>
    /// Registers the read models (catalogue and job indexes), the lease index with its sweeper, and, when configured, the data source, the
    /// schema migrator and the schema gate (before the silo: the membership tables must exist when Orleans
    /// starts, so call this before <c>UseOrleans</c>). Idempotent: a second call registers nothing.
    /// </summary>
    public static IServiceCollection AddFederationPersistence(this IServiceCollection services, FederationOptions options, SiloEndpoints endpoints)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(endpoints);
        if (services.Any(s => s.ServiceType == typeof(ICatalogueIndex)))
        {
            return services;
        }

        services.AddFederationLeases();
        if (endpoints.Mode == SiloMode.Embedded)
        {
            services.AddSingleton<ICatalogueIndex, InMemoryCatalogueIndex>();
            services.AddSingleton<IJobIndex, InMemoryJobIndex>();
            services.AddSingleton<ILeaseIndex, InMemoryLeaseIndex>();
            return services;
        }

        services.AddSingleton(NpgsqlDataSource.Create(PooledConnectionString(options)));

        // One commit pipeline per silo: grain state, the job read model and the lease index share its transactions.
        services.AddSingleton(_ => CommitPipeline.Create(PooledConnectionString(options)));
        services.AddSingleton<Federation.Grains.Jobs.IWriteGrouping>(sp => sp.GetRequiredService<CommitPipeline>());
        services.AddSingleton<SchemaMigrator>();
        services.AddSingleton<GrainStateKeys>();
        services.AddSingleton<ICatalogueIndex, PostgresCatalogueIndex>();
        services.AddSingleton<IJobIndex, PostgresJobIndex>();
        services.AddSingleton<ILeaseIndex, PostgresLeaseIndex>();

        // The schema gate starts before every other hosted service (hosted services start in the order
        // they were registered): services registered earlier, such as the roster governance restoring
        // its chain, read tables that only a migrated schema has.
        var gate = ServiceDescriptor.Singleton<IHostedService, SchemaGate>();
        var first = services.Select((d, i) => (d, i)).FirstOrDefault(x => x.d.ServiceType == typeof(IHostedService));
        if (first.d is null)
        {
            services.Add(gate);
        }
        else
        {
            services.Insert(first.i, gate);
        }

        return services;
    }

    /// <summary>
    /// Uses the silo's clustering, reminders and grain storage: in memory on localhost (embedded), or
    /// ADO.NET on PostgreSQL with this nation's ClusterId and ServiceId (configured).
    /// </summary>
    public static ISiloBuilder UseFederationStorage(this ISiloBuilder silo, FederationOptions options, SiloEndpoints endpoints)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints.Mode == SiloMode.Embedded)
        {
            silo.UseLocalhostClustering(endpoints.SiloPort, endpoints.GatewayPort, serviceId: endpoints.ServiceId, clusterId: endpoints.ClusterId);
            foreach (var storage in s_grainStorages)
            {
                silo.AddMemoryGrainStorage(storage);
                UseOrleansSerializer<MemoryGrainStorageOptions>(silo, storage, (o, serializer) => o.GrainStorageSerializer = serializer);
            }

            silo.AddMemoryGrainStorage("PubSubStore");
            silo.UseInMemoryReminderService();
            return silo;
        }

        var connectionString = PooledConnectionString(options);
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = endpoints.ClusterId;
            o.ServiceId = endpoints.ServiceId;
        });
        silo.Configure<EndpointOptions>(o =>
        {
            o.AdvertisedIPAddress = IPAddress.Parse(options.AdvertisedAddress);
            o.SiloPort = endpoints.SiloPort;
            o.GatewayPort = endpoints.GatewayPort;
        });
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = options.Membership.ProbeTimeout;
            o.NumMissedProbesLimit = options.Membership.MissedProbesLimit;
        });
        silo.UseAdoNetClustering(o =>
        {
            o.Invariant = "Npgsql";
            o.ConnectionString = connectionString;
        });
        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = "Npgsql";
            o.ConnectionString = connectionString;
        });
        foreach (var storage in s_grainStorages)
        {
            Action<AdoNetGrainStorageOptions> adoNet = o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = connectionString;
            };

            if (storage == GrainStorageNames.Jobs)
            {
                // Many job and execution grains write at once: their writes share transactions (same rows as ADO.NET).
                silo.AddGroupCommitGrainStorage(storage, adoNet);
            }
            else
            {
                silo.AddAdoNetGrainStorage(storage, adoNet);
            }

            UseOrleansSerializer<AdoNetGrainStorageOptions>(silo, storage, (o, serializer) => o.GrainStorageSerializer = serializer);
        }

        silo.AddMemoryGrainStorage("PubSubStore");
        return silo;
    }

    // Orleans' own serializer, in memory as on PostgreSQL: the default JSON one cannot read job specs back.
    private static void UseOrleansSerializer<TOptions>(ISiloBuilder silo, string storage, Action<TOptions, IGrainStorageSerializer> set)
        where TOptions : class =>
        silo.Services.AddOptions<TOptions>(storage)
            .Configure<IServiceProvider>((o, sp) => set(o, ActivatorUtilities.CreateInstance<OrleansGrainStorageSerializer>(sp)));

    // No reset on close: the silo keeps no session state on a pooled connection (its advisory locks are the
    // transaction's, and the migrator releases its own), so a connection taken from the pool needs no
    // DISCARD ALL statement first, and keeps its prepared statements.
    private static string PooledConnectionString(FederationOptions options) =>
        new NpgsqlConnectionStringBuilder(options.Postgres.ConnectionString) { MaxPoolSize = options.Postgres.MaxPoolSize, NoResetOnClose = true }.ConnectionString;
}
