using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Federation.Fedctl.Tests;

/// <summary>
/// Answers each request with the next scripted response, and records the <c>Last-Event-ID</c>
/// header of each: a silo whose event stream breaks, as a restart breaks it, without a silo.
/// </summary>
internal sealed class ScriptedEventsHandler : HttpMessageHandler
{
    private readonly ConcurrentQueue<Func<HttpResponseMessage>> _script = new();

    /// <summary>The <c>Last-Event-ID</c> of every request in order (null when absent).</summary>
    public ConcurrentQueue<string?> LastEventIds { get; } = new();

    /// <summary>Answers the next request with <paramref name="response"/>.</summary>
    public ScriptedEventsHandler Then(Func<HttpResponseMessage> response)
    {
        _script.Enqueue(response);
        return this;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        LastEventIds.Enqueue(request.Headers.TryGetValues("Last-Event-ID", out var values) ? values.Single() : null);
        if (!_script.TryDequeue(out var next))
        {
            throw new HttpRequestException(HttpRequestError.ConnectionError, "the script has no more answers");
        }

        var response = next();
        response.RequestMessage = request;
        return Task.FromResult(response);
    }

    /// <summary>A 200 with an event stream: <paramref name="events"/> as server-sent events, then the end, or <paramref name="breakWith"/> thrown by the read.</summary>
    public static HttpResponseMessage Events(IEnumerable<(long Sequence, string State, string Message)> events, Exception? breakWith = null)
    {
        var text = string.Concat(events.Select(e =>
            $"id: {e.Sequence}\nevent: {e.State}\ndata: {{\"sequence\":{e.Sequence},\"at\":\"2025-06-01T12:00:0{e.Sequence % 10}+00:00\",\"state\":\"{e.State}\",\"epoch\":1,\"nation\":\"FR\",\"message\":\"{e.Message}\"}}\n\n"));
        var bytes = Encoding.UTF8.GetBytes(text);
        var content = new StreamContent(breakWith is null ? new MemoryStream(bytes) : new BreakingStream(bytes, breakWith));
        content.Headers.ContentType = new MediaTypeHeaderValue("text/event-stream");
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
    }

    /// <summary>A 503 problem, as a silo that is starting answers.</summary>
    public static HttpResponseMessage Unavailable()
    {
        var content = new StringContent("{\"title\":\"Service Unavailable\",\"status\":503,\"detail\":\"the silo is starting\"}");
        content.Headers.ContentType = new MediaTypeHeaderValue("application/problem+json");
        return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Content = content };
    }
}
