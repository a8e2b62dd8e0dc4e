using System.Text.Json.Nodes;
using Federation.Fedctl;

namespace Federation.EndToEnd.Tests;

/// <summary>
/// The README's tour: every file of examples/jobs submitted to DE with <c>fedctl jobs submit
/// --watch</c> on a federation that only <c>up FR DE SE</c> started, each ending as the examples'
/// table says within 60 s.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class DemoTourTests(DemoTour tour) : IClassFixture<DemoTour>
{
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Example(string file, string expectedId)
    {
        var path = Path.Combine(DemoTour.Examples, file);
        Assert.Equal(expectedId, JsonNode.Parse(File.ReadAllText(path))!["id"]!.GetValue<string>());
        return path;
    }

    private async Task<(int Exit, string Output, string Error)> SubmitAndWatchAsync(string path)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        limit.CancelAfter(s_limit);
        var run = await DemoTour.FedctlAsync(tour.ApiUrl("DE"), limit.Token, "jobs", "submit", path, "--watch");
        Assert.False(limit.IsCancellationRequested, $"{Path.GetFileName(path)} did not finish within {s_limit.TotalSeconds:0} s:{Describe(run)}{tour.Diagnostics()}");
        return run;
    }

    private static string Describe((int Exit, string Output, string Error) run) =>
        $"{Environment.NewLine}exit {run.Exit}{Environment.NewLine}{run.Output}{Environment.NewLine}{run.Error}";

    [Fact]
    public async Task HomeOnlyHealth_SubmittedToDe_SucceedsInFr()
    {
        var run = await SubmitAndWatchAsync(Example("home-only-health.json", "tour-health"));
        Assert.True(run.Exit == ExitCodes.Ok, Describe(run));
        var job = await tour.JobAsync("tour-health");
        Assert.Equal("succeeded", job["state"]!.GetValue<string>());
        Assert.Equal("FR", job["nation"]!.GetValue<string>());
        Assert.Equal(0, job["result"]!["exitCode"]!.GetValue<int>());
    }

    [Fact]
    public async Task MovableAirQuality_SubmittedToDe_SucceedsInSeWithTransferEnergy()
    {
        var run = await SubmitAndWatchAsync(Example("movable-air-quality.json", "tour-air"));
        Assert.True(run.Exit == ExitCodes.Ok, Describe(run));
        var job = await tour.JobAsync("tour-air");
        Assert.Equal("succeeded", job["state"]!.GetValue<string>());
        Assert.Equal("SE", job["nation"]!.GetValue<string>());
        var result = job["result"]!;
        Assert.True(result["stagedBytes"]!.GetValue<long>() > 0, result.ToJsonString());
        Assert.True(result["transferKwh"]!.GetValue<double>() > 0, result.ToJsonString());
    }

    [Fact]
    public async Task ForbiddenPurpose_SubmittedToDe_StaysWithoutNation_ExplainGivesDuoReason()
    {
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var watch = DemoTour.FedctlAsync(tour.ApiUrl("DE"), watching.Token, "jobs", "submit", Example("forbidden-purpose.json", "tour-forbidden"), "--watch");
        try
        {
            var job = await Federation.Testing.Eventually.WaitAsync(
                async () => await tour.JobAsync("tour-forbidden"),
                j => j["state"]?.GetValue<string>() == "planned" && j["decision"] is JsonObject,
                s_limit,
                $"tour-forbidden to be planned nowhere{tour.Diagnostics()}",
                TimeSpan.FromMilliseconds(250));
            Assert.Null(job["nation"]);
            Assert.Null(job["decision"]!["chosen"]);
            if (watch.IsCompleted)
            {
                Assert.Fail("watching a job that can run nowhere ended by itself: " + Describe(await watch));
            }

            var explain = await DemoTour.FedctlAsync(tour.ApiUrl("DE"), Ct, "jobs", "explain", "tour-forbidden");
            Assert.True(explain.Exit == ExitCodes.Ok, Describe(explain));
            // FR, the data's home, is excluded by the data-use terms alone; DE and SE by residency too.
            Assert.Matches("(?m)^FR +.*excluded.*dataUse: dataset FR/health-registry: .*MONDO:0004992", explain.Output);
            Assert.Matches("(?m)^DE +.*excluded", explain.Output);
            Assert.Matches("(?m)^SE +.*excluded", explain.Output);
        }
        finally
        {
            await watching.CancelAsync();
            await watch;
        }

        // Re-planned every few seconds, it still goes nowhere.
        Assert.Null((await tour.JobAsync("tour-forbidden"))["nation"]);
    }

    [Fact]
    public async Task Failing_SubmittedToDe_FailsWithItsExitCode()
    {
        var run = await SubmitAndWatchAsync(Example("failing.json", "tour-failing"));
        Assert.True(run.Exit == ExitCodes.JobFailed, Describe(run));
        var job = await tour.JobAsync("tour-failing");
        Assert.Equal("failed", job["state"]!.GetValue<string>());
        Assert.Equal(3, job["result"]!["exitCode"]!.GetValue<int>());
    }

    [Fact]
    public async Task CancelMe_CancelledWhileRunning_EndsCancelled()
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        limit.CancelAfter(s_limit);
        var watch = DemoTour.FedctlAsync(tour.ApiUrl("DE"), limit.Token, "jobs", "submit", Example("cancel-me.json", "tour-cancel"), "--watch");
        await Federation.Testing.Eventually.WaitAsync(
            async () => await tour.JobAsync("tour-cancel"),
            j => j["state"]?.GetValue<string>() == "running",
            s_limit,
            $"tour-cancel to be running{tour.Diagnostics()}",
            TimeSpan.FromMilliseconds(250));
        if (watch.IsCompleted)
        {
            Assert.Fail("the watch of a running job ended: " + Describe(await watch));
        }

        var cancel = await DemoTour.FedctlAsync(tour.ApiUrl("DE"), Ct, "jobs", "cancel", "tour-cancel");
        Assert.True(cancel.Exit == ExitCodes.Ok, Describe(cancel));
        var run = await watch;
        Assert.False(limit.IsCancellationRequested, $"tour-cancel was not cancelled within {s_limit.TotalSeconds:0} s:{Describe(run)}{tour.Diagnostics()}");
        Assert.True(run.Exit == ExitCodes.JobFailed, Describe(run));
        Assert.Equal("cancelled", (await tour.JobAsync("tour-cancel"))["state"]!.GetValue<string>());
    }
}
