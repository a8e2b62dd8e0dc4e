using System.Diagnostics;
using System.Globalization;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Federation.Fedctl.Connection;

namespace Federation.Fedctl.Jobs;

/// <summary>
/// Follows a job's events (<c>GET /api/v1/jobs/{id}/events</c>, server-sent) and writes one line per
/// event as it arrives. When the connection drops (a silo restart, a broken network) it says so on
/// the error stream and connects again with <c>Last-Event-ID</c>, after a delay that doubles up to
/// <see cref="MaxRetryDelay"/>, so that no event is lost or printed twice. It ends when the job
/// finishes, or when <c>cancellationToken</c> is cancelled (Ctrl+C).
/// </summary>
/// <param name="api">The connection to the silo.</param>
/// <param name="output">Where the events go: a table line each, or with <paramref name="json"/> their JSON, one per line.</param>
/// <param name="error">Where the connection's news go (lost, reconnected).</param>
/// <param name="json">Write each event's JSON instead of a line of text.</param>
public sealed class JobWatcher(ApiClient api, TextWriter output, TextWriter error, bool json)
{
    /// <summary>The first delay before connecting again.</summary>
    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest delay between two attempts to connect again.</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);

    private static readonly CompositeFormat s_line = CompositeFormat.Parse("{0,-20}  {1,-9}  {2,-6}  {3,-5}  {4,-8}  {5}");

    /// <summary>The sequence number of the last event written (0 before the first).</summary>
    public long LastEvent { get; private set; }

    /// <summary>The state of the last event written, if any.</summary>
    public string? LastState { get; private set; }

    /// <summary>
    /// Writes the events of job <paramref name="id"/> after <paramref name="after"/> (0: all of them)
    /// until it finishes; returns its final state (<c>succeeded</c>, <c>failed</c>, <c>cancelled</c> or <c>timedOut</c>).
    /// </summary>
    /// <exception cref="FedctlException">The first connection failed, the token was rejected, or the job is gone.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<string> WatchAsync(string id, long after, CancellationToken cancellationToken)
    {
        var path = JobText.PathOf(id, "/events");
        LastEvent = after;
        var connectedOnce = false;
        long? lostSince = null;
        string? lastProblem = null;
        var delay = TimeSpan.Zero;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var problem = "the silo cannot be reached";
            HttpResponseMessage? response = null;
            try
            {
                response = await api.OpenEventStreamAsync(path, LastEvent > 0 ? LastEvent.ToString(CultureInfo.InvariantCulture) : null, cancellationToken);
            }
            catch (FedctlException e) when (connectedOnce && e.ExitCode == ExitCodes.NotFound)
            {
                throw new FedctlException(
                    $"job {id} is no longer known to the silo at {api.BaseAddress} (after event {LastEvent}, {LastState ?? "no state"}): did it restart without its job storage?",
                    ExitCodes.NotFound);
            }
            catch (FedctlException e) when (connectedOnce && e.ExitCode is ExitCodes.Unreachable or ExitCodes.Unavailable)
            {
                problem = e.ExitCode == ExitCodes.Unreachable ? "the silo cannot be reached" : e.Message;
            }

            if (response is not null)
            {
                using (response)
                {
                    if (lostSince is { } since)
                    {
                        error.WriteLine($"reconnected after {JobText.Number(Stopwatch.GetElapsedTime(since).TotalSeconds, "0.0")} s; resuming after event {LastEvent}");
                    }

                    if (!json && !connectedOnce)
                    {
                        output.WriteLine(Line("TIME", "STATE", "NATION", "EPOCH", "PROGRESS", "MESSAGE"));
                    }

                    connectedOnce = true;
                    lostSince = null;
                    lastProblem = null;
                    delay = TimeSpan.Zero;
                    try
                    {
                        if (await ReadAsync(response, cancellationToken) is { } finished)
                        {
                            return finished;
                        }

                        problem = "the silo closed the stream before the job finished";
                    }
                    catch (Exception e) when (e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
                    {
                        problem = $"connection lost: {e.Message}";
                    }
                }
            }

            delay = delay == TimeSpan.Zero ? FirstRetryDelay : TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            if (lostSince is null)
            {
                lostSince = Stopwatch.GetTimestamp();
                error.WriteLine($"{problem}; reconnecting to {api.BaseAddress} from event {LastEvent} (first retry in {JobText.Number(FirstRetryDelay.TotalSeconds)} s, then backing off up to {JobText.Number(MaxRetryDelay.TotalSeconds)} s; Ctrl+C to stop)");
            }
            else if (problem != lastProblem)
            {
                error.WriteLine($"still reconnecting: {problem}");
            }

            lastProblem = problem;
            await Task.Delay(delay, cancellationToken);
        }
    }

    /// <summary>Writes the events of one connection; returns the final state once the job finished, null when the stream ended before.</summary>
    private async Task<string?> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(cancellationToken))
        {
            JsonObject? data;
            try
            {
                data = JsonNode.Parse(item.Data) as JsonObject;
            }
            catch (JsonException)
            {
                data = null;
            }

            if (data is null)
            {
                error.WriteLine($"warning: skipped an event the silo sent that is not a job event: {item.EventType}: {item.Data}");
                continue;
            }

            var sequence = data["sequence"] is JsonValue v && v.TryGetValue<long>(out var s) ? s
                : long.TryParse(item.EventId, NumberStyles.None, CultureInfo.InvariantCulture, out var fromId) ? fromId
                : LastEvent + 1;
            if (sequence <= LastEvent)
            {
                // Already written before a reconnection.
                continue;
            }

            var state = JobText.Text(data["state"]) is { Length: > 0 } named ? named : item.EventType;
            output.WriteLine(json
                ? data.ToJsonString()
                : Line(JobText.Time(data["at"]), state, JobText.OrDash(data["nation"]), JobText.Text(data["epoch"]), JobText.Percent(data["progress"]), JobText.Text(data["message"])));
            await output.FlushAsync(cancellationToken);
            LastEvent = sequence;
            LastState = state;
            if (JobText.IsFinished(state))
            {
                return state;
            }
        }

        return null;
    }

    private static string Line(string time, string state, string nation, string epoch, string progress, string message) =>
        string.Format(CultureInfo.InvariantCulture, s_line, time, state, nation, epoch, progress, message).TrimEnd();
}
