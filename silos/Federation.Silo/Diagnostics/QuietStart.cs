namespace Federation.Silo.Diagnostics;

/// <summary>What keeps a normal start free of false alarms in the log.</summary>
public static class QuietStart
{
    /// <summary>The name of Orleans' watchdog type (internal to Orleans).</summary>
    public const string WatchdogTypeName = "Orleans.Runtime.Watchdog, Orleans.Runtime";

    /// <summary>
    /// Gives the watchdog a <see cref="WatchdogStartLogger{T}"/>, when this Orleans version has that
    /// type (otherwise nothing changes).
    /// </summary>
    public static IServiceCollection AddQuietStart(this IServiceCollection services)
    {
        if (Type.GetType(WatchdogTypeName, throwOnError: false) is { } watchdog)
        {
            services.AddSingleton(typeof(ILogger<>).MakeGenericType(watchdog), typeof(WatchdogStartLogger<>).MakeGenericType(watchdog));
        }

        return services;
    }
}
