using System.Text.Json;
using Federation.Silo.Api;
using Federation.Silo.Auth;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Overview;

/// <summary>
/// <c>GET /overview</c> (the page), <c>/overview/events</c> (its server-sent events), and its script and
/// style sheet, for platform staff (<see cref="Policies.Dashboard"/>); HTML, so left out of the API documents.
/// </summary>
public static partial class OverviewEndpoints
{
    /// <summary>Maps the endpoints.</summary>
    public static RouteGroupBuilder MapFederationOverview(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/overview").RequireAuthorization(Policies.Dashboard).ExcludeFromDescription();
        group.MapGet("/", PageAsync);
        group.MapGet("/events", EventsAsync);
        group.MapGet("/live.js", (HttpContext http) => Asset(http, OverviewAssets.Script, "text/javascript; charset=utf-8"));
        group.MapGet("/overview.css", (HttpContext http) => Asset(http, OverviewAssets.Style, "text/css; charset=utf-8"));
        return group;
    }

    private static async Task<IResult> PageAsync(HttpContext http, OverviewSource source)
    {
        var model = OverviewBuilder.Build(await source.ReadAsync(http.RequestAborted));
        Secure(http);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Content(OverviewRenderer.Page(model), "text/html; charset=utf-8");
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ContentHttpResult Asset(HttpContext http, string content, string type)
    {
        Secure(http);
        http.Response.Headers.CacheControl = "no-cache";
        return TypedResults.Content(content, type);
    }

    private static void Secure(HttpContext http)
    {
        http.Response.Headers.ContentSecurityPolicy = OverviewAssets.ContentSecurityPolicy;
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
    }

    private static async Task EventsAsync(HttpContext http, OverviewFeed feed, TimeProvider time, IOptions<OverviewOptions> options, ILoggerFactory loggers)
    {
        if (!feed.TryOpenStream())
        {
            http.Response.Headers.RetryAfter = "5";
            await Problems.Status(
                StatusCodes.Status503ServiceUnavailable,
                "Too many overview streams",
                $"This silo already serves {options.Value.MaxStreams} overview event streams ({OverviewOptions.Section}:MaxStreams); retry later.").ExecuteAsync(http);
            return;
        }

        var ct = http.RequestAborted;
        try
        {
            Secure(http);
            http.Response.ContentType = "text/event-stream";
            http.Response.Headers.CacheControl = "no-cache";
            http.Response.Headers["X-Accel-Buffering"] = "no";
            await http.Response.WriteAsync("retry: 3000\n\n", ct);
            await http.Response.Body.FlushAsync(ct);
            var sent = new Dictionary<string, string>(StringComparer.Ordinal);
            var lastWrite = time.GetUtcNow();
            using var timer = new PeriodicTimer(options.Value.RefreshInterval, time);
            do
            {
                var wrote = false;
                foreach (var (id, html) in await feed.SectionsAsync(ct))
                {
                    if (sent.TryGetValue(id, out var before) && before == html)
                    {
                        continue;
                    }

                    var data = JsonSerializer.Serialize(new Dictionary<string, string> { ["id"] = id, ["html"] = html });
                    await http.Response.WriteAsync($"event: section\ndata: {data}\n\n", ct);
                    sent[id] = html;
                    wrote = true;
                }

                if (!wrote && time.GetUtcNow() - lastWrite >= options.Value.HeartbeatInterval)
                {
                    // A comment line: keeps proxies from closing a quiet stream and shows a dead client the door.
                    await http.Response.WriteAsync(": heartbeat\n\n", ct);
                    wrote = true;
                }

                if (wrote)
                {
                    lastWrite = time.GetUtcNow();
                    await http.Response.Body.FlushAsync(ct);
                }
            }
            while (await timer.WaitForNextTickAsync(ct));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away: its slot is given back below.
        }
        catch (OrleansException e)
        {
            // The silo is shutting down or its cluster is unwell: the browser reconnects (to this or another silo).
            LogStreamEnded(loggers.CreateLogger(typeof(OverviewEndpoints)), e.Message);
        }
        finally
        {
            feed.CloseStream();
        }
    }

    [LoggerMessage(EventId = 5301, Level = LogLevel.Warning, Message = "Overview event stream ended: {Reason}")]
    private static partial void LogStreamEnded(ILogger logger, string reason);
}
