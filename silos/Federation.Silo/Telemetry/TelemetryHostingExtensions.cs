using Federation.Contracts.Ids;
using Federation.Grains.Diagnostics;
using Federation.Silo.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Federation.Silo.Telemetry;

/// <summary>
/// The telemetry feature of a nation's silo: OpenTelemetry metrics (the federation's own meter,
/// ASP.NET Core, HttpClient, the .NET runtime, Orleans) served at <c>GET /metrics</c>, and — when an
/// OTLP endpoint or a span file is configured — traces of the user and federation APIs, outgoing
/// federation requests (W3C trace context travels in their headers), grain calls, Npgsql and the job
/// path (<see cref="JobTracing"/>).
/// </summary>
public static class TelemetryHostingExtensions
{
    /// <summary>Registers the feature from the <c>Federation:Telemetry</c> section.</summary>
    public static TelemetryOptions AddFederationTelemetry(this WebApplicationBuilder builder, NationCode nation)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = ValidatedOptions.Read(builder.Configuration, TelemetryOptions.Section, new TelemetryOptionsValidator());
        builder.Services.AddValidatedOptions<TelemetryOptions, TelemetryOptionsValidator>(TelemetryOptions.Section);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource
                .AddService("federation-silo", serviceNamespace: "federation", serviceInstanceId: $"{nation.Value}-{Environment.ProcessId}")
                .AddAttributes([new("federation.nation", nation.Value)]));

        telemetry.WithMetrics(metrics =>
        {
            metrics.AddMeter(FederationMetrics.MeterName, "Microsoft.Orleans")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation();
            if (options.Metrics)
            {
                metrics.AddPrometheusExporter();
            }

            if (options.OtlpEndpoint is { } otlp)
            {
                metrics.AddOtlpExporter(exporter => exporter.Endpoint = otlp);
            }
        });

        if (options.Tracing)
        {
            telemetry.WithTracing(tracing =>
            {
                tracing.AddSource(JobTracing.SourceName, "Npgsql", "Microsoft.Orleans.Application")
                    .AddAspNetCoreInstrumentation(aspnet => aspnet.Filter = http => !http.Request.Path.StartsWithSegments("/metrics") && !http.Request.Path.StartsWithSegments("/health"))
                    .AddHttpClientInstrumentation();
                if (options.OtlpEndpoint is { } otlp)
                {
                    tracing.AddOtlpExporter(exporter => exporter.Endpoint = otlp);
                }

                if (options.SpanFile is { Length: > 0 } file)
                {
                    tracing.AddProcessor(new BatchActivityExportProcessor(new SpanFileExporter(file, nation.Value), scheduledDelayMilliseconds: 500));
                }
            });
        }

        return options;
    }

    /// <summary>Maps <c>GET /metrics</c> (Prometheus text format) behind <paramref name="policy"/> when metrics are served.</summary>
    public static void MapFederationMetrics(this WebApplication app, TelemetryOptions options, string policy)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Metrics)
        {
            app.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization(policy);
        }
    }
}
