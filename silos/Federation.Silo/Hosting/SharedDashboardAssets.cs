using System.Reflection;
using Orleans.Dashboard;

namespace Federation.Silo.Hosting;

/// <summary>
/// One table of the Orleans dashboard's static assets per process instead of one per silo. The dashboard's asset
/// provider (a singleton of the silo's container) reads every embedded asset and gzips it when it is created, which was
/// about a third of the processor time of starting a silo in a process that had started one before (docs/operations.md,
/// "Silo start"): every silo a test host or a benchmark starts paid it again. The table depends only on the dashboard's
/// assembly and is never written after it is built, so every silo of the process can serve the same one.
/// </summary>
/// <remarks>
/// The provider's type is internal to the dashboard's package (<c>SharedDashboardAssetsTests</c> fails when it is no
/// longer found). Nothing is shared, and each silo builds its own table as before (<see cref="Share"/> returns false),
/// when a later version renames it, gives it constructor parameters (it might then depend on the silo's services) or
/// makes it disposable (one silo's container would dispose what the others serve).
/// </remarks>
public static class SharedDashboardAssets
{
    /// <summary>The full name of the dashboard's asset provider in Microsoft.Orleans.Dashboard 10.</summary>
    public const string ProviderTypeName = "Orleans.Dashboard.EmbeddedAssetProvider";

    private static readonly Type? s_providerType = Shareable(typeof(DashboardOptions).Assembly.GetType(ProviderTypeName, throwOnError: false));
    private static readonly Lazy<object>? s_shared = s_providerType is null
        ? null
        : new Lazy<object>(() => Activator.CreateInstance(s_providerType, nonPublic: true)!, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// Replaces the dashboard's registration of its asset provider in <paramref name="services"/> (after
    /// <c>AddDashboard</c>) with the process's one; false when the provider or its registration is not found, or the
    /// provider cannot be shared.
    /// </summary>
    public static bool Share(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (s_providerType is null || s_shared is null)
        {
            return false;
        }

        var registered = services.FirstOrDefault(d => d.ServiceType == s_providerType && !d.IsKeyedService);
        if (registered is null)
        {
            return false;
        }

        // An instance registration: a container never disposes an object it did not create.
        services.Remove(registered);
        services.Add(ServiceDescriptor.Singleton(s_providerType, s_shared.Value));
        return true;
    }

    private static Type? Shareable(Type? type) =>
        type is not null
        && type.GetConstructor(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, Type.EmptyTypes) is not null
        && !typeof(IDisposable).IsAssignableFrom(type)
        && !typeof(IAsyncDisposable).IsAssignableFrom(type)
            ? type
            : null;
}
