using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Federation.Fedctl.Connection;
using Federation.Fedctl.Jobs;
using Federation.Testing;

namespace Federation.Fedctl.Tests;

/// <summary>
/// <c>fedctl jobs</c> against an embedded nation (FR, no peers) whose simulated executor runs a job
/// of 10 a100-hours in a few seconds: submit, watch to the end, resubmit, list, show, explain,
/// cancel; a failing job; a job that can run nowhere (why pending, cancel, Ctrl+C); unknown ids;
/// and the watch's reconnection with Last-Event-ID on a stream that breaks.
/// </summary>
public sealed partial class JobCliTests(JobCliSilo fixture) : IClassFixture<JobCliSilo>
{
    /// <summary>Longest a command may take, a watch included (a job runs in about 4 s).</summary>
    private static readonly TimeSpan s_commandTimeout = TimeSpan.FromSeconds(90);

    [GeneratedRegex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ  (?<state>\S+) +(?<nation>\S+) +(?<epoch>\d+) +(?<progress>\S+) +(?<message>.*)$", RegexOptions.Multiline)]
    private static partial Regex EventLine();

    /// <summary>Runs fedctl with this silo's environment; a watch that does not end in time is stopped (as Ctrl+C would) and fails the test.</summary>
    private async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(s_commandTimeout);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await FedctlApp.RunAsync(args, output, error, TextReader.Null, fixture.Environment(), timeout.Token);
        Assert.False(timeout.IsCancellationRequested && !TestContext.Current.CancellationToken.IsCancellationRequested,
            $"fedctl {string.Join(' ', args)} did not finish within {s_commandTimeout.TotalSeconds} s: {output} {error}");
        return (exit, output.ToString(), error.ToString());
    }

    private static List<string> States(string watchOutput) => [.. EventLine().Matches(watchOutput).Select(m => m.Groups["state"].Value)];

    [Fact]
    public async Task Submit_Watch_ThenResubmit_List_Show_Explain_Cancel()
    {
        var file = fixture.WriteJob("train-ok.json", JobCliSilo.Job("train-ok"));

        // Submit: the id, the state and where it was offered.
        var (exit, output, error) = await RunAsync("jobs", "submit", file);
        Assert.True(exit == ExitCodes.Ok, $"exit {exit}: {output} {error}");
        Assert.StartsWith("job train-ok submitted", output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^state: +(offered|admitted|queued|running|succeeded) \(epoch 1\)$", output);
        Assert.Matches(@"(?m)^nation: +FR$", output);
        Assert.Contains("fedctl jobs watch train-ok", error, StringComparison.Ordinal);

        // Watch: every step, one line each, to the end; exit 0 because it succeeded.
        var (watchExit, watched, watchError) = await RunAsync("jobs", "watch", "train-ok");
        Assert.True(watchExit == ExitCodes.Ok, $"exit {watchExit}: {watched} {watchError}");
        Assert.StartsWith("TIME                  STATE      NATION  EPOCH  PROGRESS  MESSAGE", watched, StringComparison.Ordinal);
        var states = States(watched);
        Assert.Equal(["submitted", "offered", "admitted"], states.Take(3));
        Assert.Contains("running", states);
        Assert.Equal("succeeded", states[^1]);
        Assert.True(states.IndexOf("running") < states.Count - 1, string.Join(",", states));
        var last = EventLine().Matches(watched)[^1];
        Assert.Equal("FR", last.Groups["nation"].Value);
        Assert.Equal("1", last.Groups["epoch"].Value);
        Assert.Equal("100%", last.Groups["progress"].Value);
        Assert.Matches(@"(?m)^job train-ok succeeded: exit code 0 after .+; [0-9.]+ kWh, [0-9.]+ gCO2e \(method: tdp-estimate, [0-9.]+ W, simulated executor\)$", watched);

        // The same spec again: nothing changes; another spec under the same id: conflict.
        var (again, againOutput, againError) = await RunAsync("jobs", "submit", file);
        Assert.True(again == ExitCodes.Ok, $"exit {again}: {againOutput} {againError}");
        Assert.StartsWith("job train-ok was submitted before with this spec (unchanged)", againOutput, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^state: +succeeded \(epoch 1\)$", againOutput);
        var other = JobCliSilo.Job("train-ok");
        other["walltimeMinutes"] = 601;
        var (conflict, _, conflictError) = await RunAsync("jobs", "submit", fixture.WriteJob("train-other.json", other));
        Assert.True(conflict == ExitCodes.Conflict, $"exit {conflict}: {conflictError}");
        Assert.Contains("error: refused: job FR/train-ok was submitted at", conflictError, StringComparison.Ordinal);
        Assert.Contains("with another spec", conflictError, StringComparison.Ordinal);

        // List: a table like squeue.
        var (listExit, table, listError) = await RunAsync("jobs", "list", "--owner", "alice@example.org");
        Assert.True(listExit == ExitCodes.Ok, $"exit {listExit}: {table} {listError}");
        var lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches("^ID +OWNER +STATE +NATION +EPOCH +PROGRESS +SUBMITTED +REASON$", lines[0]);
        Assert.True(Regex.IsMatch(table, @"(?m)^train-ok +alice@example\.org +succeeded +FR +1 +100% +\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ +finished with exit code 0$"), table);
        var (jsonExit, json, _) = await RunAsync("jobs", "list", "--state", "succeeded", "--json");
        Assert.Equal(ExitCodes.Ok, jsonExit);
        Assert.Contains(JsonNode.Parse(json)!["items"]!.AsArray(), j => j!["ref"]!.GetValue<string>() == "FR/train-ok");

        // Show: state, where, the result with its exit code, energy and emissions with the method.
        var (showExit, shown, showError) = await RunAsync("jobs", "show", "train-ok");
        Assert.True(showExit == ExitCodes.Ok, $"exit {showExit}: {shown} {showError}");
        Assert.Matches(@"(?m)^job: +FR/train-ok$", shown);
        Assert.Matches(@"(?m)^state: +succeeded$", shown);
        Assert.Matches(@"(?m)^nation: +FR$", shown);
        Assert.Matches(@"(?m)^epoch: +1$", shown);
        Assert.Matches(@"(?m)^result: +exit code 0 after ", shown);
        Assert.Matches(@"(?m)^energy: +[0-9.]+ kWh, [0-9.]+ gCO2e \(method: tdp-estimate, [0-9.]+ W, simulated executor\)$", shown);
        Assert.Matches(@"(?m)^finished: +\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$", shown);
        var (globalExit, globalShown, _) = await RunAsync("jobs", "show", "FR/train-ok");
        Assert.Equal(ExitCodes.Ok, globalExit);
        Assert.Equal(shown, globalShown);

        // Explain: the decision that chose FR, and FR's admission.
        var (explainExit, explained, explainError) = await RunAsync("jobs", "explain", "train-ok");
        Assert.True(explainExit == ExitCodes.Ok, $"exit {explainExit}: {explained} {explainError}");
        Assert.StartsWith("job FR/train-ok is succeeded in FR (epoch 1)", explained, StringComparison.Ordinal);
        Assert.Contains("NATION  RANK  VERDICT  ACCELERATOR", explained, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^FR +1 +chosen +h100-sxm +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+$", explained);
        Assert.Matches(@"(?m)^NATION +EPOCH +ANSWER +LEASE_S +REASON$", explained);
        Assert.Matches(@"(?m)^FR +1 +admitted +[0-9.]+ +\S", explained);

        // Cancel once finished: refused, saying what it is.
        var (cancelExit, cancelOutput, cancelError) = await RunAsync("jobs", "cancel", "train-ok", "--reason", "too late");
        Assert.True(cancelExit == ExitCodes.Conflict, $"exit {cancelExit}: {cancelOutput} {cancelError}");
        Assert.Contains("error: job train-ok already finished: it is succeeded", cancelError, StringComparison.Ordinal);
        Assert.Empty(cancelOutput);
    }

    [Fact]
    public async Task SubmitWatch_FailingJob_ExitsJobFailed_AndWatchAgainReplaysTheSame()
    {
        var job = JobCliSilo.Job("train-fails");
        job["workload"]!["arguments"] = new JsonObject { ["simulate-fail"] = "true" };
        var (exit, output, error) = await RunAsync("jobs", "submit", fixture.WriteJob("fails.json", job), "--watch");
        Assert.True(exit == ExitCodes.JobFailed, $"exit {exit}: {output} {error}");
        Assert.Contains("job train-fails submitted; watching it", error, StringComparison.Ordinal);
        var states = States(output);
        Assert.Equal("submitted", states[0]);
        Assert.Equal("failed", states[^1]);
        Assert.Matches(@"(?m)^job train-fails failed: exit code 1 after ", output);

        var (again, replayed, _) = await RunAsync("jobs", "watch", "train-fails");
        Assert.Equal(ExitCodes.JobFailed, again);
        Assert.Equal(states, States(replayed));

        // Past its last event: nothing left to stream, the outcome at once (the silo's stream would never end).
        var (pastExit, past, _) = await RunAsync("jobs", "watch", "train-fails", "--after", "1000");
        Assert.Equal(ExitCodes.JobFailed, pastExit);
        Assert.Empty(States(past));
        Assert.StartsWith("job train-fails failed: exit code 1 after ", past, StringComparison.Ordinal);

        var (jsonExit, lines, _) = await RunAsync("jobs", "watch", "train-fails", "--after", "2", "--json");
        Assert.Equal(ExitCodes.JobFailed, jsonExit);
        var events = lines.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(3, events[0]["sequence"]!.GetValue<long>());
        Assert.Equal("failed", events[^1]["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task JobThatCanRunNowhere_ExplainSaysWhyPending_CtrlCStopsTheWatch_CancelEndsIt()
    {
        var job = JobCliSilo.Job("too-big", owner: "bob@example.org");
        job["accelerators"] = new JsonObject { ["count"] = 64 };
        var (exit, output, error) = await RunAsync("jobs", "submit", fixture.WriteJob("too-big.json", job));
        Assert.True(exit == ExitCodes.Ok, $"exit {exit}: {output} {error}");
        Assert.Matches(@"(?m)^state: +planned \(epoch 0\)$", output);
        Assert.Matches(@"(?m)^nation: +-$", output);
        Assert.Matches(@"(?m)^reason: +pending: no nation can run this job", output);

        var (explainExit, explained, _) = await RunAsync("jobs", "explain", "too-big");
        Assert.Equal(ExitCodes.Ok, explainExit);
        Assert.StartsWith("job FR/too-big is planned (epoch 0): pending: no nation can run this job", explained, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^FR +- +excluded +- +- +- +- +- +acceleratorFit: .*64 x any accelerator", explained);
        Assert.Contains("admissions: none yet", explained, StringComparison.Ordinal);

        // Ctrl+C: the watch stops at once and says the job goes on.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var watchOutput = new NodeAgentOutput();
        using var watchError = new StringWriter();
        var watch = FedctlApp.RunAsync(["jobs", "watch", "too-big"], watchOutput, watchError, TextReader.Null, fixture.Environment(), stop.Token);
        await Eventually.WaitAsync(() => Task.FromResult(watchOutput.Text), t => States(t).Contains("planned"), TimeSpan.FromSeconds(30), "the watch prints the planned event");
        await stop.CancelAsync();
        var stopped = await watch.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.True(stopped == ExitCodes.Failure, $"exit {stopped}: {watchError}");
        Assert.Contains("stopped watching job too-big (it was planned at event 2); the job goes on", watchError.ToString(), StringComparison.Ordinal);

        var (cancelExit, cancelled, cancelError) = await RunAsync("jobs", "cancel", "too-big", "--reason", "asked for too much");
        Assert.True(cancelExit == ExitCodes.Ok, $"exit {cancelExit}: {cancelled} {cancelError}");
        Assert.Equal("job too-big cancelled: cancelled: asked for too much", cancelled.TrimEnd());

        var (watchExit, watched, _) = await RunAsync("jobs", "watch", "too-big");
        Assert.Equal(ExitCodes.JobFailed, watchExit);
        Assert.Equal("cancelled", States(watched)[^1]);

        var (listExit, table, _) = await RunAsync("jobs", "list", "--owner", "bob@example.org", "--state", "cancelled");
        Assert.Equal(ExitCodes.Ok, listExit);
        Assert.Matches(@"(?m)^too-big +bob@example\.org +cancelled +- +0 +- +\S+ \S+ +cancelled: asked for too much$", table);
    }

    [Fact]
    public async Task List_PagesWithNextAfter_AllFollowsEveryPage_BadStateIsRefused()
    {
        foreach (var id in new[] { "page-a", "page-b", "page-c" })
        {
            var job = JobCliSilo.Job(id, owner: "carol@example.org");
            job["accelerators"] = new JsonObject { ["count"] = 64 };
            var (exit, output, error) = await RunAsync("jobs", "submit", fixture.WriteJob($"{id}.json", job));
            Assert.True(exit == ExitCodes.Ok, $"exit {exit}: {output} {error}");
        }

        var (pageExit, page, pageError) = await RunAsync("jobs", "list", "--owner", "carol@example.org", "--limit", "2");
        Assert.Equal(ExitCodes.Ok, pageExit);
        Assert.Equal(3, page.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("(more: --after FR/page-b, or --all)", pageError, StringComparison.Ordinal);

        var (allExit, all, allError) = await RunAsync("jobs", "list", "--owner", "carol@example.org", "--limit", "2", "--all");
        Assert.Equal(ExitCodes.Ok, allExit);
        var rows = all.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(' ')[0]).ToList();
        Assert.Equal(["page-a", "page-b", "page-c"], rows);
        Assert.Empty(allError);

        // -o wide (and the older --wide): more columns, the reason last and in full.
        foreach (var flags in new[] { new[] { "-o", "wide" }, ["--wide"] })
        {
            var (wideExit, wide, _) = await RunAsync(["jobs", "list", "--owner", "carol@example.org", "--limit", "1", .. flags]);
            Assert.Equal(ExitCodes.Ok, wideExit);
            Assert.StartsWith("ID ", wide, StringComparison.Ordinal);
            Assert.Matches(@"^ID +OWNER +STATE +NATION +EPOCH +PROGRESS +SUBMITTED +CONSORTIUM +WORKLOAD +UPDATED +REASON\r?\n", wide);
            Assert.True(
                Regex.IsMatch(wide, @"(?m)^page-a +carol@example\.org +planned +- +0 +- +\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ +onco +demo-train@1\.0 +\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ +pending: no nation can run this job \(FR: acceleratorFit\)$"),
                wide);
        }

        var (badExit, _, badError) = await RunAsync("jobs", "list", "--state", "sleeping");
        Assert.Equal(ExitCodes.Invalid, badExit);
        Assert.Contains("state: 'sleeping' is not a job state", badError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("show")]
    [InlineData("explain")]
    [InlineData("watch")]
    [InlineData("cancel")]
    public async Task UnknownJob_SaysNotFound_Exits6(string command)
    {
        var (exit, output, error) = await RunAsync("jobs", command, "no-such-job");
        Assert.True(exit == ExitCodes.NotFound, $"exit {exit}: {output} {error}");
        Assert.StartsWith("error: not found: ", error, StringComparison.Ordinal);
        Assert.Contains("no-such-job", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_InvalidJob_NamesTheField_Exits5()
    {
        var job = JobCliSilo.Job("no-walltime");
        job.Remove("walltimeMinutes");
        var (exit, output, error) = await RunAsync("jobs", "submit", fixture.WriteJob("no-walltime.json", job));
        Assert.True(exit == ExitCodes.Invalid, $"exit {exit}: {output} {error}");
        Assert.Contains("  walltimeMinutes: is required", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_StreamBreaks_ReconnectsWithLastEventId_PrintsEachEventOnce()
    {
        var handler = new ScriptedEventsHandler()
            .Then(() => ScriptedEventsHandler.Events([(1, "submitted", "submitted by alice"), (2, "offered", "offered to FR")], new IOException("connection reset by peer")))
            .Then(ScriptedEventsHandler.Unavailable)
            .Then(() => ScriptedEventsHandler.Events([(2, "offered", "offered to FR"), (3, "running", "FR: running"), (4, "succeeded", "FR: finished with exit code 0")]));
        using var api = new ApiClient(FedctlSettings.Resolve("http://127.0.0.1:9", null, FedctlRun.CleanEnvironment()), handler);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var watcher = new JobWatcher(api, output, error, json: false);

        var state = await watcher.WatchAsync("train-x", 0, TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal("succeeded", state);
        Assert.Equal(new string?[] { null, "2", "2" }, handler.LastEventIds);
        Assert.Equal(["submitted", "offered", "running", "succeeded"], States(output.ToString()));
        var news = error.ToString();
        Assert.Contains("connection lost: connection reset by peer; reconnecting to http://127.0.0.1:9/ from event 2", news, StringComparison.Ordinal);
        Assert.Contains("still reconnecting: the silo could not serve GET api/v1/jobs/train-x/events: the silo is starting", news, StringComparison.Ordinal);
        Assert.Matches(@"reconnected after [0-9.]+ s; resuming after event 2", news);
    }
}
