using Federation.Reference;
using Federation.Reference.Forecasts;
using Federation.Silo.Hosting;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Carbon;

/// <summary>The carbon feature of a nation's silo: <see cref="CarbonOptions"/> and the forecast its adverts carry.</summary>
public static class CarbonHostingExtensions
{
    /// <summary>The named HTTP client the <c>http</c> source uses.</summary>
    public const string HttpClientName = "carbon-forecast";

    /// <summary>Registers <see cref="CarbonOptions"/> (validated on start) and <see cref="CarbonForecasts"/>. Idempotent.</summary>
    public static IServiceCollection AddFederationCarbon(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(s => s.ServiceType == typeof(CarbonForecasts)))
        {
            return services;
        }

        services.AddValidatedOptions<CarbonOptions, CarbonOptionsValidator>(CarbonOptions.Section);
        services.AddHttpClient(HttpClientName);
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<CarbonOptions>>().Value;
            var reference = sp.GetRequiredService<ReferenceTables>();
            IIntensityForecastSource source = options.Source switch
            {
                "series" => new SeriesForecastSource(
                    string.IsNullOrWhiteSpace(options.SeriesPath) ? HourlyIntensitySeries.Shipped2020 : HourlyIntensitySeries.Load(options.SeriesPath), reference),
                "http" => new HttpForecastSource(
                    sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
                    new Uri(options.HttpBaseUrl!.EndsWith('/') ? options.HttpBaseUrl : options.HttpBaseUrl + "/"),
                    options.HttpLocation,
                    TimeSpan.FromSeconds(options.HttpTimeoutSeconds)),
                _ => new AnnualForecastSource(reference),
            };
            return new CarbonForecasts(new FallbackForecastSource(source, reference), options, sp.GetRequiredService<TimeProvider>());
        });
        return services;
    }
}
