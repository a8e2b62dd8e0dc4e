using Federation.Silo.Governance;
using System.Globalization;
using System.Net;
using Federation.Contracts.Ids;
using Federation.Grains.Nations;
using Federation.Reference;
using Federation.Silo.Access;
using Federation.Silo.Admin;
using Federation.Silo.Api;
using Federation.Silo.Artifacts;
using Federation.Silo.Auth;
using Federation.Silo.Carbon;
using Federation.Silo.Catalogue;
using Federation.Silo.Demo;
using Federation.Silo.Diagnostics;
using Federation.Silo.Drain;
using Federation.Silo.Execution;
using Federation.Silo.Jobs;
using Federation.Silo.Learning;
using Federation.Silo.Nations;
using Federation.Silo.Options;
using Federation.Silo.Overview;
using Federation.Silo.Peering;
using Federation.Silo.Postgres;
using Federation.Silo.Routing;
using Federation.Silo.Shares;
using Federation.Silo.Telemetry;
using Federation.Silo.Transparency;
using Federation.Silo.Trust;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Orleans.Dashboard;

namespace Federation.Silo.Hosting;

/// <summary>
/// Builds a nation's silo process (Orleans silo, dashboard, user API, federation API, health) from its
/// features, one call each; every feature binds and validates its own options.
/// </summary>
public static partial class SiloHost
{
    /// <summary>Builds the application from <paramref name="args"/> and configuration.</summary>
    /// <param name="args">Command-line arguments (configuration overrides such as --Federation:Nation:Code=DE).</param>
    /// <param name="configure">Extra configuration (tests).</param>
    /// <exception cref="OptionsValidationException">A setting read while composing the host breaks a rule (the others fail on start).</exception>
    public static WebApplication Build(string[] args, Action<ConfigurationManager>? configure = null) => Build(args, configure, null);

    /// <summary>Builds the application, letting <paramref name="replace"/> change its services last (tests put fakes of edges there).</summary>
    /// <param name="args">Command-line arguments (configuration overrides such as --Federation:Nation:Code=DE).</param>
    /// <param name="configure">Extra configuration (tests).</param>
    /// <param name="replace">Called after every feature registered its services, before the host is built.</param>
    /// <exception cref="OptionsValidationException">A setting read while composing the host breaks a rule (the others fail on start).</exception>
    public static WebApplication Build(string[] args, Action<ConfigurationManager>? configure, Action<IServiceCollection>? replace)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder.Configuration);

        // The user API URLs by the silo's own setting, then ASP.NET Core's conventions (UserUrls); every reader sees the result.
        var (userUrls, urlSource) = UserUrls.Resolve(builder.Configuration);
        builder.Configuration.AddInMemoryCollection([new("Federation:Urls", userUrls)]);

        // The nation's identity, mode and ports shape the host itself, so they are read (and checked) now.
        var reference = ReferenceTables.Load(builder.Configuration.GetSection("Federation:Reference").Get<ReferenceOverrides>() ?? new ReferenceOverrides());
        var options = ValidatedOptions.Read(builder.Configuration, FederationOptions.Section, new FederationOptionsValidator(reference));
        var mode = string.IsNullOrWhiteSpace(options.Postgres.ConnectionString) ? SiloMode.Embedded : SiloMode.Configured;

        // Embedded mode on another address than loopback runs authenticated, as configured mode does (and on loopback when asked).
        var secured = mode == SiloMode.Configured || Exposure.NonLoopback(options.Urls).Count > 0 || options.Auth.RequireOnLoopback;
        var nation = TypedId.Parse<NationCode>(options.Nation.Code);
        var advertised = IPAddress.Parse(options.AdvertisedAddress);
        var endpoints = new SiloEndpoints(
            mode,
            FreePorts.Resolve(options.SiloPort, advertised),
            FreePorts.Resolve(options.GatewayPort, advertised),
            $"nation-{nation.Value.ToLowerInvariant()}",
            $"federation-{nation.Value.ToLowerInvariant()}");

        builder.AddUserListeners(options);
        var services = builder.Services;
        services.AddForwardedHeadersFromProxies(options.Hosting.ForwardedHeaders);
        services.AddValidatedOptions<FederationOptions, FederationOptionsValidator>(FederationOptions.Section);
        services.AddSingleton(reference);
        services.AddSingleton(new LocalNation(nation));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<StartupState>();
        services.AddSingleton(endpoints);
        services.AddQuietStart();
        var telemetry = builder.AddFederationTelemetry(nation);

        builder.AddFederationPeering();
        services.AddFederationTrust();
        services.AddFederationCatalogue();
        services.AddFederationRouting();
        services.AddFederationCarbon();
        services.AddFederationExecution(builder.Configuration, reference, nation);
        services.AddFederationJobs();
        services.AddFederationDrain();
        services.AddFederationShares();
        services.AddFederationLearning();
        services.AddFederationPersistence(options, endpoints);
        services.AddFederationTransparency(endpoints);
        services.AddFederationAccess();
        services.AddFederationArtifacts();
        services.AddSingleton<ReadModelRebuilder>();
        builder.UseOrleans(silo =>
        {
            // First among the providers, so that GetGrain stops reading attributes by reflection on every call.
            silo.Services.Insert(0, ServiceDescriptor.Singleton<Orleans.Runtime.IGrainInterfaceTypeProvider, CachedGrainInterfaceTypes>());
            silo.UseFederationStorage(options, endpoints);
            silo.AddMemoryStreams(Federation.Grains.GrainStorageNames.EventStreams, events =>
            {
                // Orleans' defaults (8 queues, read again 100 ms after an empty read) delay every live job event by up to 100 ms at low load.
                events.ConfigurePartitioning(options.Hosting.EventQueues);
                events.ConfigurePullingAgent(agent => agent.Configure(o => o.GetQueueMsgsTimerPeriod = TimeSpan.FromMilliseconds(options.Hosting.EventPollMilliseconds)));
            });
            silo.AddDashboard();
            SharedDashboardAssets.Share(silo.Services);
            if (options.Hosting.Kubernetes)
            {
                // Pod name, IP and namespace from the environment (the Deployment sets them); defunct silo pods are deleted.
                silo.UseKubernetesHosting();
            }
            if (telemetry.Tracing)
            {
                silo.AddActivityPropagation();
            }
        });

        services.AddHostedService<NationStartup>();
        services.AddFederationDemo(DemoSettings.From(options, mode, builder.Configuration, nation));
        services.AddFederationUserApi(options, secured);
        services.AddFederationOverview();
        replace?.Invoke(services);

        var app = builder.Build();
        app.UseUserTls(options);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseFederationRateLimits();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseDashboardBranding("/dashboard", nation, options.Nation.Name ?? nation.Value);
        app.Use(RefuseDashboardTrace);

        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
        app.MapFederationCatalogue();
        app.MapNationEndpoints();
        app.MapDrainEndpoints();
        app.MapAdminEndpoints();
        app.MapAuditEndpoints();
        var federation = app.MapPeering();
        federation.MapFederationEndpoints();
        federation.MapShareFederationEndpoints();
        federation.MapTransparencyFederationEndpoints();
        app.MapFederationJobs(federation);
        federation.MapFederationLearning();
        app.MapFederationArtifacts(federation);
        app.MapFederatedCatalogueEndpoints();
        app.MapRosterEndpoints();
        app.MapRouteEndpoints();
        app.MapPeopleEndpoints();
        app.MapDataAccessEndpoints();
        app.MapShareEndpoints();
        app.MapCourseEndpoints();
        app.MapFederationMetrics(telemetry, Policies.Dashboard);
        app.MapFederationOverview();
        app.MapOrleansDashboard("/dashboard").RequireAuthorization(Policies.Dashboard);
        app.MapGet("/", () => TypedResults.Redirect("/dashboard")).ExcludeFromDescription();

        app.Lifetime.ApplicationStarted.Register(() => AnnounceEndpoints(app, nation, mode, secured, endpoints.SiloPort, endpoints.GatewayPort, urlSource));
        return app;
    }

    // The dashboard's live trace streams every log line without end to whoever holds the page: off in every mode.
    private static Task RefuseDashboardTrace(HttpContext http, RequestDelegate next) =>
        http.Request.Path.StartsWithSegments("/dashboard/Trace", StringComparison.OrdinalIgnoreCase)
            ? Problems.Status(StatusCodes.Status404NotFound, "Not available", "The dashboard's live trace is disabled: read the silo's log instead.").ExecuteAsync(http)
            : next(http);

    private static void AnnounceEndpoints(WebApplication app, NationCode nation, SiloMode mode, bool secured, int siloPort, int gatewayPort, string urlSource)
    {
        // The user API's first address: any but the federation port's (https, mutual TLS).
        var federationPort = app.Services.GetRequiredService<PeeringEndpoint>().Port;
        var addresses = (app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
            .Where(a => federationPort is not { } port || new Uri(a.Replace("://[::]", "://localhost", StringComparison.Ordinal)).Port != port)
            .ToList();
        var api = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal)) ?? addresses.FirstOrDefault() ?? "(none)";
        var endpoints = app.Services.GetRequiredService<SiloEndpoints>();
        endpoints.ApiBaseUrl = api;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Federation.Silo");
        var modeName = mode == SiloMode.Embedded ? "embedded" : "configured";
        LogListening(logger, nation.Value, modeName, api, siloPort, gatewayPort);
        var security = (mode, secured) switch
        {
            (SiloMode.Embedded, false) => "embedded: in memory, OPEN WITHOUT AUTHENTICATION (bound to loopback only); configure Federation:Postgres:ConnectionString for production",
            (SiloMode.Embedded, true) when !Exposure.NonLoopback(string.Join(';', addresses)).Any() => "embedded: in memory, on loopback with Federation:Auth:RequireOnLoopback, so bearer tokens are required for writes, jobs, heartbeats and the dashboard",
            (SiloMode.Embedded, true) => $"embedded: in memory, NOT bound to loopback only ({string.Join(", ", addresses)}), so bearer tokens are required for writes, heartbeats and the dashboard",
            _ => "configured: PostgreSQL, bearer tokens required for writes, heartbeats and the dashboard",
        };
        Console.Out.WriteLine(
            $"""
            Federation silo {nation} ({security})
              api        {api}/api/v1
              dashboard  {api}/dashboard
              openapi    {api}/openapi/v1.json
              health     {api}/health/ready
              urls from  {urlSource}
              ports      api={new Uri(api).Port} silo={siloPort} gateway={gatewayPort} federation={app.Services.GetRequiredService<PeeringEndpoint>().Port?.ToString(CultureInfo.InvariantCulture) ?? "off"}
            """);
        Console.Out.Flush();
    }

    [LoggerMessage(EventId = 5201, Level = LogLevel.Information, Message = "Nation {Nation} silo listening ({Mode}): api={ApiUrl} silo-port={SiloPort} gateway-port={GatewayPort}")]
    private static partial void LogListening(ILogger logger, string nation, string mode, string apiUrl, int siloPort, int gatewayPort);
}
