using System.CommandLine;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Federation.Fedctl.Connection;

namespace Federation.Fedctl.Jobs;

/// <summary><c>fedctl jobs watch</c> and <c>cancel</c>: following a job's events until it ends, and the outcome line.</summary>
public static partial class JobCommands
{
    private static Command Watch(FedctlContext context)
    {
        var id = IdArgument();
        var after = new Option<long>("--after") { Description = "print only the events after this sequence number (default 0: every event since submission)" };
        var command = new Command(
            "watch",
            $"Follow a job: one line per event as it happens (time in UTC, state, nation, epoch, progress, message), through silo restarts, until it finishes. Exit {ExitCodes.Ok} when it succeeded, {ExitCodes.JobFailed} when it failed, was cancelled or timed out. Ctrl+C stops watching, not the job.")
        {
            id,
        };
        command.Options.Add(after);
        command.SetAction((parse, ct) => context.RunAsync(parse, async (api, output) =>
        {
            var record = await GetAsync(api, parse.GetValue(id)!, ct);
            var jobId = JobText.IdOf(record);
            var from = Math.Max(0, parse.GetValue(after));
            var state = JobText.Text(record["state"]);
            if (JobText.IsFinished(state) && (record["lastEvent"]?.GetValue<long>() ?? 0) <= from)
            {
                // Nothing is left to stream: every event is at or before --after, and the job has
                // finished (the silo's stream would wait for an event that never comes).
                if (!context.Json(parse))
                {
                    WriteOutcome(output, jobId, state, record);
                }

                return JobText.ExitCodeOf(state);
            }

            return await WatchAsync(context, api, output, jobId, from, context.Json(parse), ct);
        }, ct));
        return command;
    }

    private static Command Cancel(FedctlContext context)
    {
        var id = IdArgument();
        var reason = new Option<string>("--reason") { Description = "why (kept on the job, up to 500 characters)" };
        var command = new Command("cancel", "Cancel a job that has not finished; the nation running it stops it.") { id };
        command.Options.Add(reason);
        command.SetAction((parse, ct) => context.RunAsync(parse, async (api, output) =>
        {
            var jobId = await ResolveAsync(api, parse.GetValue(id)!, ct);
            var path = JobText.PathOf(jobId, ":cancel");
            var body = parse.GetValue(reason) is { Length: > 0 } why ? new JsonObject { ["reason"] = why } : null;
            var response = await api.TrySendAsync(HttpMethod.Post, path, body, cancellationToken: ct);
            if (response.Status == HttpStatusCode.Conflict && response.Body?["state"] is { } finished)
            {
                throw new FedctlException($"job {jobId} already finished: it is {JobText.Text(finished)}; there is nothing to cancel", ExitCodes.Conflict);
            }

            if (!response.IsSuccess)
            {
                throw api.Explain(HttpMethod.Post, path, response);
            }

            var record = response.Body!;
            output.WriteLine(context.Json(parse)
                ? record.ToJsonString(FedctlContext.Indented)
                : $"job {jobId} {JobText.Text(record["state"])}: {JobText.Text(record["stateReason"])}");
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    /// <summary>Runs the watcher; the job's outcome is the exit code, Ctrl+C ends it with a word on where the job was.</summary>
    private static async Task<int> WatchAsync(FedctlContext context, ApiClient api, TextWriter output, string id, long after, bool json, CancellationToken ct)
    {
        var watcher = new JobWatcher(api, output, context.Error, json);
        try
        {
            var state = await watcher.WatchAsync(id, after, ct);
            if (!json)
            {
                await WriteOutcomeAsync(api, output, id, state, ct);
            }

            return JobText.ExitCodeOf(state);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            var where = watcher.LastState is { } last ? $" (it was {last} at event {watcher.LastEvent})" : "";
            await context.Error.WriteLineAsync($"stopped watching job {id}{where}; the job goes on: 'fedctl jobs watch {id}' follows it again, 'fedctl jobs cancel {id}' stops it");
            return ExitCodes.Failure;
        }
    }

    /// <summary>After the last event: how the job ended, from its record (best effort: the events already said it).</summary>
    private static async Task WriteOutcomeAsync(ApiClient api, TextWriter output, string id, string state, CancellationToken ct)
    {
        var response = await api.TrySendAsync(HttpMethod.Get, JobText.PathOf(id), cancellationToken: ct);
        output.WriteLine();
        WriteOutcome(output, id, state, response.IsSuccess ? response.Body : null);
    }

    private static void WriteOutcome(TextWriter output, string id, string state, JsonNode? record)
    {
        var result = record?["result"];
        var details = new[] { JobText.Result(result), JobText.Energy(result), JobText.Model(result) is { } model ? $"model {model}" : null }.Where(d => d is not null).ToList();
        output.WriteLine(details.Count == 0 ? $"job {id} {state}" : $"job {id} {state}: {string.Join("; ", details)}");
    }

    /// <summary>Reads the job again until it has left <c>submitted</c> (planned, offered, ...) or <see cref="SettleTime"/> passed.</summary>
    private static async Task<JsonNode> SettleAsync(ApiClient api, string id, JsonNode record, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        using var poll = new PeriodicTimer(s_settlePoll);
        while (JobText.Text(record["state"]) == "submitted" && clock.Elapsed < SettleTime && await poll.WaitForNextTickAsync(ct))
        {
            record = (await api.SendAsync(HttpMethod.Get, JobText.PathOf(id), cancellationToken: ct)).Body!;
        }

        return record;
    }
}
