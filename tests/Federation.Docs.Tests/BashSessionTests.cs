namespace Federation.Docs.Tests;

/// <summary>The session that runs the tour: shared state between commands, exit codes, merged output, deadlines.</summary>
public sealed class BashSessionTests
{
    private static BashSession Start() => BashSession.Start(Path.GetTempPath(), new Dictionary<string, string> { ["TOUR_SAMPLE"] = "given" });

    [Fact]
    public async Task RunAsync_ExportThenUse_LaterCommandSeesTheVariable()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var bash = Start();

        var export = await bash.RunAsync("export GREETING=\"hello $TOUR_SAMPLE\"", TimeSpan.FromSeconds(30), ct);
        var echo = await bash.RunAsync("echo \"$GREETING\"", TimeSpan.FromSeconds(30), ct);

        Assert.Equal(new StepResult(0, "", false), export);
        Assert.Equal(new StepResult(0, "hello given" + Environment.NewLine, false), echo);
    }

    [Fact]
    public async Task RunAsync_FailingCommandWithStderr_ReturnsItsCodeAndBothStreamsInOrder()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var bash = Start();

        var result = await bash.RunAsync("echo out; echo err >&2; printf partial; (exit 10)  # exits 10", TimeSpan.FromSeconds(30), ct);

        Assert.Equal(10, result.ExitCode);
        Assert.Equal(string.Join(Environment.NewLine, "out", "err", "partial", ""), result.Output);
    }

    [Fact]
    public async Task RunAsync_CommandReadingStdin_DoesNotSwallowTheNextCommand()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var bash = Start();

        var cat = await bash.RunAsync("cat", TimeSpan.FromSeconds(30), ct);
        var next = await bash.RunAsync("echo next", TimeSpan.FromSeconds(30), ct);

        Assert.Equal(new StepResult(0, "", false), cat);
        Assert.Equal(new StepResult(0, "next" + Environment.NewLine, false), next);
    }

    [Fact]
    public async Task RunAsync_PastItsDeadline_TimesOutKeepingItsOutputAndLaterCommandsFail()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var bash = Start();

        var slow = await bash.RunAsync("echo started; sleep 60", TimeSpan.FromSeconds(2), ct);

        Assert.True(slow.TimedOut);
        Assert.Null(slow.ExitCode);
        Assert.Equal("started" + Environment.NewLine, slow.Output);
        var after = await bash.RunAsync("echo never", TimeSpan.FromSeconds(30), ct);
        Assert.Null(after.ExitCode);
        Assert.DoesNotContain("never", after.Output, StringComparison.Ordinal);
    }
}
