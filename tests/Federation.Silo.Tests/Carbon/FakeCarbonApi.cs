using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Federation.Silo.Tests.Carbon;

/// <summary>
/// A fake Carbon Aware SDK WebAPI on a free loopback port: <c>GET /emissions/forecasts/current</c> answers
/// what the test set for the location asked (status and body), or never answers (<see cref="Hang"/>).
/// </summary>
public sealed class FakeCarbonApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FakeCarbonApi(WebApplication app) => _app = app;

    /// <summary>The base address, ending in a slash.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>What each location gets: status and body; a location not set gets 404.</summary>
    public ConcurrentDictionary<string, (int Status, string Body)> Answers { get; } = new();

    /// <summary>Locations whose requests are held unanswered until the fake is disposed.</summary>
    public ConcurrentDictionary<string, bool> Hang { get; } = new();

    /// <summary>The locations asked, in order.</summary>
    public ConcurrentQueue<string> Asked { get; } = new();

    /// <summary>Starts the fake.</summary>
    public static async Task<FakeCarbonApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var fake = new FakeCarbonApi(app);
        app.MapGet("/emissions/forecasts/current", async (HttpContext http) =>
        {
            var location = http.Request.Query["location"].ToString();
            fake.Asked.Enqueue(location);
            if (fake.Hang.ContainsKey(location))
            {
                await fake._released.Task.WaitAsync(http.RequestAborted);
                return Results.StatusCode(503);
            }

            return fake.Answers.TryGetValue(location, out var answer)
                ? Results.Text(answer.Body, "application/json", statusCode: answer.Status)
                : Results.NotFound();
        });
        await app.StartAsync();
        fake.BaseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
        return fake;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _released.TrySetResult();
        await _app.DisposeAsync();
    }
}
