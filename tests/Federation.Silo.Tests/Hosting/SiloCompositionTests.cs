using Federation.Contracts.Ids;
using Federation.Reference;
using Federation.Silo.Catalogue;
using Federation.Silo.Demo;
using Federation.Silo.Execution;
using Federation.Silo.Hosting;
using Federation.Silo.Jobs;
using Federation.Silo.Options;
using Federation.Silo.Peering;
using Federation.Silo.Postgres;
using Federation.Silo.Routing;
using Federation.Silo.Trust;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Tests.Hosting;

/// <summary>
/// The host is composed by feature (issue 14): each <c>AddFederation…</c> extension registers its
/// services once, however often it is called (as Orleans' own <c>AddReminders</c>), and binds its
/// options with a validator.
/// </summary>
public sealed class SiloCompositionTests
{
    private static readonly ReferenceTables s_reference = ReferenceTables.Load(new ReferenceOverrides());
    private static readonly NationCode s_nation = TypedId.Parse<NationCode>("FR");
    private static readonly IConfiguration s_configuration = new ConfigurationBuilder().AddInMemoryCollection(SiloOptionsTests.Settings()).Build();
    private static readonly SiloEndpoints s_embedded = new(SiloMode.Embedded, 11111, 30000, "nation-fr", "federation-fr");

    public static TheoryData<string> Features => ["catalogue", "jobs", "execution", "routing", "trust", "persistence", "demo", "user-api", "rate-limits"];

    [Theory]
    [MemberData(nameof(Features))]
    public void Feature_AddedTwice_RegistersEachServiceOnce(string feature)
    {
        var once = new ServiceCollection();
        Add(once, feature);
        var twice = new ServiceCollection();
        Add(twice, feature);
        Add(twice, feature);

        Assert.NotEmpty(once);
        Assert.Equal(Describe(once), Describe(twice));
    }

    [Fact]
    public void Peering_AddedTwice_RegistersEachServiceOnce()
    {
        var once = Builder();
        once.AddFederationPeering();
        var twice = Builder();
        twice.AddFederationPeering().AddFederationPeering();

        Assert.Contains(once.Services, s => s.ServiceType == typeof(RosterStore));
        Assert.Equal(Describe(once.Services), Describe(twice.Services));
    }

    [Theory]
    [InlineData("jobs", typeof(JobOptions))]
    [InlineData("jobs", typeof(AdmissionOptions))]
    [InlineData("jobs", typeof(DataOptions))]
    [InlineData("execution", typeof(ExecutorOptions))]
    [InlineData("routing", typeof(RoutingOptions))]
    [InlineData("trust", typeof(TrustOptions))]
    [InlineData("rate-limits", typeof(RateLimitOptions))]
    public void Feature_BindsItsOptions_WithOneValidator(string feature, Type options)
    {
        var services = new ServiceCollection();
        Add(services, feature);
        Add(services, feature);

        Assert.Single(services, s => s.ServiceType == typeof(IValidateOptions<>).MakeGenericType(options));
    }

    private static void Add(IServiceCollection services, string feature)
    {
        _ = feature switch
        {
            "catalogue" => services.AddFederationCatalogue(),
            "jobs" => services.AddFederationJobs(),
            "execution" => services.AddFederationExecution(s_configuration, s_reference, s_nation),
            "routing" => services.AddFederationRouting(),
            "trust" => services.AddFederationTrust(),
            "persistence" => services.AddFederationPersistence(new FederationOptions(), s_embedded),
            "demo" => services.AddFederationDemo(new DemoSettings(Active: true, SimulateNodes: true, DataRoot: Path.GetTempPath())),
            "user-api" => services.AddFederationUserApi(new FederationOptions(), secured: true),
            "rate-limits" => services.AddFederationRateLimits(),
            _ => throw new ArgumentOutOfRangeException(nameof(feature), feature, "not a feature of the silo"),
        };
    }

    private static WebApplicationBuilder Builder()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(SiloOptionsTests.Settings());
        return builder;
    }

    private static List<string> Describe(IServiceCollection services) =>
        [.. services.Select(s => $"{s.ServiceType.FullName} <- {s.ImplementationType?.FullName ?? (s.ImplementationInstance is null ? "factory" : "instance")} ({s.Lifetime})")];
}
