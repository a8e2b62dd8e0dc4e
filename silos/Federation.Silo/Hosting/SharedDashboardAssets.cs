using Orleans.Dashboard;

namespace Federation.Silo.Hosting;

/// <summary>
/// One table of the Orleans dashboard's static assets per process instead of one per silo. The dashboard's asset
/// provider (a singleton of the silo's container) reads every embedded asset and gzips it when it is created, which is
/// about a quarter of the processor time of starting a silo in a process that has started one before (a profile of
/// repeated in-process starts): every silo a test host or a benchmark starts paid it again. The table depends only on
/// the dashboard's assembly, so every silo of the process can serve the same one.
/// </summary>
/// <remarks>
/// The provider's type is internal to the dashboard's package; when a later version renames it, nothing is replaced
/// and each silo builds its own table as before (<see cref="Share"/> returns false).
/// </remarks>
public static class SharedDashboardAssets
{
    /// <summary>The full name of the dashboard's asset provider in Microsoft.Orleans.Dashboard 10.</summary>
    public const string ProviderTypeName = "Orleans.Dashboard.EmbeddedAssetProvider";

    private static readonly Type? s_providerType = typeof(DashboardOptions).Assembly.GetType(ProviderTypeName, throwOnError: false);
    private static readonly Lazy<object>? s_shared = s_providerType is null
        ? null
        : new Lazy<object>(() => Activator.CreateInstance(s_providerType, nonPublic: true)!, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// Replaces the dashboard's registration of its asset provider in <paramref name="services"/> (after
    /// <c>AddDashboard</c>) with the process's one; false when the provider or its registration is not found.
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

        services.Remove(registered);
        services.AddSingleton(s_providerType, _ => s_shared.Value);
        return true;
    }
}
