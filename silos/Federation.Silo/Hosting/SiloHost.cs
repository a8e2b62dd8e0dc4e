using System.Globalization;
using System.Net;
using Federation.Contracts.Ids;
using Federation.Contracts.Json;
using Federation.Grains.Catalogue.Index;
using Federation.Grains.Execution;
using Federation.Grains.Jobs;
using Federation.Grains.Nations;
using Federation.Grains.Peers;
using Federation.Protocol.Roster;
using Federation.Reference;
using Federation.Routing;
using Federation.Silo.Api.Requests;
using Federation.Silo.Api;
using Federation.Silo.Api.OpenApi;
using Federation.Silo.Auth;
using Federation.Silo.Demo;
using Federation.Silo.Diagnostics;
using Federation.Silo.Execution;
using Federation.Silo.Health;
using Federation.Silo.Jobs;
using Federation.Silo.Jobs.Dispatch;
using Federation.Silo.Jobs.Staging;
using Federation.Silo.Options;
using Federation.Silo.Peering;
using Federation.Silo.Peers;
using Federation.Silo.Postgres;
using Federation.Silo.Routing;
using Federation.Silo.Trust;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Storage;

namespace Federation.Silo.Hosting;

/// <summary>Builds a nation's silo process: Orleans silo, dashboard, user API, health.</summary>
public static partial class SiloHost
{
    /// <summary>Builds the application from <paramref name="args"/> and configuration.</summary>
    /// <param name="args">Command-line arguments (configuration overrides such as --Federation:Nation:Code=DE).</param>
    /// <param name="configure">Extra configuration (tests).</param>
    public static WebApplication Build(string[] args, Action<ConfigurationManager>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder.Configuration);

        var options = builder.Configuration.GetSection(FederationOptions.Section).Get<FederationOptions>() ?? new FederationOptions();
        var reference = ReferenceTables.Load(builder.Configuration.GetSection("Federation:Reference").Get<ReferenceOverrides>() ?? new ReferenceOverrides());
        var validation = new FederationOptionsValidator(reference).Validate(null, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(FederationOptions.Section, typeof(FederationOptions), validation.Failures);
        }

        var mode = string.IsNullOrWhiteSpace(options.Postgres.ConnectionString) ? SiloMode.Embedded : SiloMode.Configured;
        var exposed = Exposure.NonLoopback(options.Urls);
        if (mode == SiloMode.Embedded && exposed.Count > 0 && options.Auth.AdminTokens.Count == 0)
        {
            throw new OptionsValidationException(FederationOptions.Section, typeof(FederationOptions),
            [
                $"Federation:Urls binds {string.Join(", ", exposed)}, beyond this machine, but embedded mode is open without authentication. " +
                "Bind to 127.0.0.1 (the default), or set Federation:Auth:AdminTokens:0=<long random secret> so that it requires tokens.",
            ]);
        }

        // Embedded mode on another address than loopback runs authenticated, as configured mode does.
        var secured = mode == SiloMode.Configured || exposed.Count > 0;
        var nation = TypedId.Parse<NationCode>(options.Nation.Code);
        var advertised = IPAddress.Parse(options.AdvertisedAddress);
        var siloPort = FreePorts.Resolve(options.SiloPort, advertised);
        var gatewayPort = FreePorts.Resolve(options.GatewayPort, advertised);
        var clusterId = $"nation-{nation.Value.ToLowerInvariant()}";
        var serviceId = $"federation-{nation.Value.ToLowerInvariant()}";

        builder.WebHost.UseUrls(options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        builder.AddPeering(options.Urls);
        var peering = builder.Configuration.GetSection(PeeringOptions.Section).Get<PeeringOptions>() ?? new PeeringOptions();
        builder.Services.Configure<AdvertOptions>(builder.Configuration.GetSection(PeeringOptions.Section));
        builder.Services.AddSingleton(new PeerLinkSettings(peering.AdvertInterval));
        builder.Services.AddSingleton<AdvertBuilder>();
        if (peering.Enabled)
        {
            builder.Services.AddHostedService<AdvertPublisher>();
        }
        var services = builder.Services;
        services.Configure<FederationOptions>(builder.Configuration.GetSection(FederationOptions.Section));
        services.AddSingleton(reference);
        services.AddSingleton(new LocalNation(nation));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<StartupState>();
        services.AddQuietStart();
        var demo = DemoSettings.From(options, mode, builder.Configuration, nation);
        services.AddSingleton(demo);
        services.AddSingleton<DemoCatalogue>();
        services.AddSingleton<CatalogueRequestParser>();
        services.AddSingleton<JobRequestParser>();
        var weights = (builder.Configuration.GetSection(RoutingOptions.Section).Get<RoutingOptions>() ?? new RoutingOptions()).ToWeights();
        services.AddSingleton(sp => new Router(sp.GetRequiredService<ReferenceTables>(), weights, [.. ProtocolVersions.Supported.Select(v => int.Parse(v, CultureInfo.InvariantCulture))]));
        services.AddSingleton<RoutePlanner>();
        services.AddFederationTrust();
        services.AddSingleton((builder.Configuration.GetSection(JobOptions.Section).Get<JobOptions>() ?? new JobOptions()).ToSettings());
        var (executor, workloads) = ExecutionConfiguration.Read(builder.Configuration, reference, nation);
        services.AddSingleton(executor);
        services.AddSingleton(workloads);
        var data = builder.Configuration.GetSection(DataOptions.Section).Get<DataOptions>() ?? new DataOptions();
        var dataValidation = new DataOptionsValidator().Validate(null, data);
        if (dataValidation.Failed)
        {
            throw new OptionsValidationException(DataOptions.Section, typeof(DataOptions), dataValidation.Failures);
        }

        // The silo's own configuration, keys and job files are never dataset content, even inside a data root.
        services.AddSingleton(DataRoots.From(data, nation.Value, AppContext.BaseDirectory, peering.CertificatePath, peering.RosterPath, executor.WorkRoot));
        services.AddSingleton<SlurmPools>();
        services.AddSingleton<NationCapacity>();
        services.AddSingleton<ProcessExecutor>();
        services.AddSingleton<SlurmExecutor>();
        var admission = builder.Configuration.GetSection(AdmissionOptions.Section).Get<AdmissionOptions>() ?? new AdmissionOptions();
        services.AddSingleton(new AdmissionSettings
        {
            RefuseForeignJobs = admission.RefuseForeignJobs,
            RefuseFrom = admission.RefuseFrom.ToHashSet(StringComparer.Ordinal),
        });
        services.AddSingleton<AdmissionPolicy>();
        services.AddSingleton<PreOfferFences>();
        services.AddSingleton<FederationDispatch>();
        services.AddSingleton<IFederationCourier, FederationCourier>();
        services.AddSingleton<IJobPlanner, JobPlanner>();
        services.AddJobData();
        services.AddSingleton<ReadModelRebuilder>();
        services.AddSingleton(new SiloEndpoints(mode, siloPort, gatewayPort, clusterId, serviceId));

        // One bounded pool size for our data source and the Orleans providers alike, so that several
        // silos stay under PostgreSQL's max_connections.
        var connectionString = mode == SiloMode.Configured
            ? new NpgsqlConnectionStringBuilder(options.Postgres.ConnectionString) { MaxPoolSize = options.Postgres.MaxPoolSize }.ConnectionString
            : null;
        if (mode == SiloMode.Configured)
        {
            var dataSource = NpgsqlDataSource.Create(connectionString!);
            services.AddSingleton(dataSource);
            services.AddSingleton<SchemaMigrator>();
            services.AddSingleton<GrainStateKeys>();
            services.AddSingleton<ICatalogueIndex, PostgresCatalogueIndex>();
            services.AddSingleton<IJobIndex, PostgresJobIndex>();

            // Before the silo: the membership tables must exist when Orleans starts.
            services.AddHostedService<SchemaGate>();
        }
        else
        {
            services.AddSingleton<ICatalogueIndex, InMemoryCatalogueIndex>();
            services.AddSingleton<IJobIndex, InMemoryJobIndex>();
        }

        builder.UseOrleans(silo =>
        {
            if (mode == SiloMode.Embedded)
            {
                silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: serviceId, clusterId: clusterId);
                foreach (var storage in new[] { Federation.Grains.GrainStorageNames.Catalogue, Federation.Grains.GrainStorageNames.Jobs })
                {
                    // Orleans' own serializer, as on PostgreSQL: the default JSON one cannot read job specs back.
                    silo.AddMemoryGrainStorage(storage);
                    silo.Services.AddOptions<MemoryGrainStorageOptions>(storage)
                        .Configure<IServiceProvider>((o, sp) => o.GrainStorageSerializer = ActivatorUtilities.CreateInstance<OrleansGrainStorageSerializer>(sp));
                }

                silo.AddMemoryGrainStorage("PubSubStore");
                silo.UseInMemoryReminderService();
            }
            else
            {
                silo.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = clusterId;
                    o.ServiceId = serviceId;
                });
                silo.Configure<EndpointOptions>(o =>
                {
                    o.AdvertisedIPAddress = advertised;
                    o.SiloPort = siloPort;
                    o.GatewayPort = gatewayPort;
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
                foreach (var storage in new[] { Federation.Grains.GrainStorageNames.Catalogue, Federation.Grains.GrainStorageNames.Jobs })
                {
                    Action<AdoNetGrainStorageOptions> adoNet = o =>
                    {
                        o.Invariant = "Npgsql";
                        o.ConnectionString = connectionString;
                    };

                    if (storage == Federation.Grains.GrainStorageNames.Jobs)
                    {
                        // Many job and execution grains write at once: their writes share transactions (same rows as ADO.NET).
                        silo.AddGroupCommitGrainStorage(storage, adoNet);
                    }
                    else
                    {
                        silo.AddAdoNetGrainStorage(storage, adoNet);
                    }

                    silo.Services.AddOptions<AdoNetGrainStorageOptions>(storage)
                        .Configure<IServiceProvider>((o, sp) => o.GrainStorageSerializer = ActivatorUtilities.CreateInstance<OrleansGrainStorageSerializer>(sp));
                }
                silo.AddMemoryGrainStorage("PubSubStore");
            }

            silo.AddMemoryStreams(Federation.Grains.GrainStorageNames.EventStreams);
            silo.AddDashboard();
        });

        services.AddHostedService<NationStartup>();
        if (demo.SimulateNodes)
        {
            // After NationStartup, which registers the nodes it heartbeats.
            services.AddHostedService<SimulatedNodeAgent>();
        }

        services.AddHostedService<RunReconciler>();

        services.ConfigureHttpJsonOptions(o => FederationJson.Configure(o.SerializerOptions));
        services.AddProblemDetails();
        services.AddFederationRateLimits(builder.Configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions());
        services.AddExceptionHandler<ExceptionProblems>();
        services.AddUserApiDocument();
        services.AddHealthChecks().AddCheck<SiloReadyCheck>("silo", tags: ["ready"]);
        services.AddAuthentication(TokenAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null);
        Policies.Configure(services.AddAuthorizationBuilder(), options, secured);

        var app = builder.Build();
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
        app.MapDatasetEndpoints();
        app.MapNodeEndpoints();
        app.MapModelEndpoints();
        app.MapNationEndpoints();
        app.MapAdminEndpoints();
        var federation = app.MapPeering();
        federation.MapFederationEndpoints();
        federation.MapJobFederationEndpoints();
        app.MapJobData(federation);
        app.MapJobEndpoints();
        app.MapJobBatchEndpoints();
        app.MapFederatedCatalogueEndpoints();
        app.MapRouteEndpoints();
        app.MapOrleansDashboard("/dashboard").RequireAuthorization(Policies.Operate);
        app.MapGet("/", () => TypedResults.Redirect("/dashboard")).ExcludeFromDescription();

        app.Lifetime.ApplicationStarted.Register(() => AnnounceEndpoints(app, nation, mode, secured, siloPort, gatewayPort));
        return app;
    }

    // The dashboard's live trace streams every log line without end to whoever holds the page: off in every mode.
    private static Task RefuseDashboardTrace(HttpContext http, RequestDelegate next) =>
        http.Request.Path.StartsWithSegments("/dashboard/Trace", StringComparison.OrdinalIgnoreCase)
            ? Problems.Status(StatusCodes.Status404NotFound, "Not available", "The dashboard's live trace is disabled: read the silo's log instead.").ExecuteAsync(http)
            : next(http);

    private static void AnnounceEndpoints(WebApplication app, NationCode nation, SiloMode mode, bool secured, int siloPort, int gatewayPort)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var api = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal)) ?? "(none)";
        var endpoints = app.Services.GetRequiredService<SiloEndpoints>();
        endpoints.ApiBaseUrl = api;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Federation.Silo");
        var modeName = mode == SiloMode.Embedded ? "embedded" : "configured";
        LogListening(logger, nation.Value, modeName, api, siloPort, gatewayPort);
        var security = (mode, secured) switch
        {
            (SiloMode.Embedded, false) => "embedded: in memory, OPEN WITHOUT AUTHENTICATION (bound to loopback only); configure Federation:Postgres:ConnectionString for production",
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
              ports      api={new Uri(api).Port} silo={siloPort} gateway={gatewayPort} federation={app.Services.GetRequiredService<PeeringEndpoint>().Port?.ToString(CultureInfo.InvariantCulture) ?? "off"}
            """);
        Console.Out.Flush();
    }

    [LoggerMessage(EventId = 5201, Level = LogLevel.Information, Message = "Nation {Nation} silo listening ({Mode}): api={ApiUrl} silo-port={SiloPort} gateway-port={GatewayPort}")]
    private static partial void LogListening(ILogger logger, string nation, string mode, string apiUrl, int siloPort, int gatewayPort);
}
