using System.Net;
using System.Net.Http.Headers;
using Federation.Silo.Hosting;
using Federation.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Dashboard;

namespace Federation.Silo.Tests.Hosting;

/// <summary>
/// Every silo of a process serves the Orleans dashboard's assets from one table (<see cref="SharedDashboardAssets"/>),
/// built once instead of at every silo's start, and each silo still serves them, gzipped when asked.
/// </summary>
public sealed class SharedDashboardAssetsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Type ProviderType => typeof(DashboardOptions).Assembly.GetType(SharedDashboardAssets.ProviderTypeName)
        ?? throw new InvalidOperationException($"{SharedDashboardAssets.ProviderTypeName} is not in the dashboard's assembly any more: SharedDashboardAssets shares nothing");

    [Fact]
    public async Task TwoSilosOfOneProcess_OneAssetTable_BothServeTheDashboardsScript()
    {
        await using var first = await SiloUnderTest.StartEmbeddedAsync();
        await using var second = await SiloUnderTest.StartEmbeddedAsync();

        Assert.Same(first.Services.GetRequiredService(ProviderType), second.Services.GetRequiredService(ProviderType));
        foreach (var silo in new[] { first, second })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/dashboard/index.min.js");
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
            using var page = await silo.Client.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("gzip", page.Content.Headers.ContentEncoding);
            Assert.NotNull(page.Headers.ETag);
        }
    }

    [Fact]
    public void Share_AfterAddDashboard_ReplacesItsRegistrationWithOneInstance()
    {
        var services = new ServiceCollection();
        services.AddOrleans(silo => silo.AddDashboard());

        Assert.True(SharedDashboardAssets.Share(services));

        var registration = Assert.Single(services, d => d.ServiceType == ProviderType);
        Assert.NotNull(registration.ImplementationInstance);
        using var one = services.BuildServiceProvider();
        using var two = services.BuildServiceProvider();
        Assert.Same(one.GetRequiredService(ProviderType), two.GetRequiredService(ProviderType));
    }

    [Fact]
    public void Share_WithoutTheDashboard_ChangesNothing()
    {
        var services = new ServiceCollection();

        Assert.False(SharedDashboardAssets.Share(services));
        Assert.Empty(services);
    }
}
