using System.Text;

namespace Federation.Docs.Tests;

/// <summary>
/// The README's five-minute tour, run verbatim: every <c>$ </c> line of its console blocks, in one
/// bash session from the repository root, as a new user would paste them. A line fails the test
/// when it exits otherwise than the README says (0, or the code of its <c># exits N</c> comment) or
/// runs past its deadline; the federation is always taken down at the end. CI has built
/// everything, so the launcher is told not to build (<c>FEDERATION_NO_BUILD=1</c>).
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class ReadmeTourRunTests
{
    private const string Down = "infra/local/federation down";

    private static readonly Dictionary<string, string> s_environment = new() { ["FEDERATION_NO_BUILD"] = "1" };

    // Starting three silos on a loaded 2-core machine; a job's whole life (the issue allows 60 s each); anything else.
    private static TimeSpan TimeoutOf(TourStep step) =>
        step.Command.StartsWith("infra/local/federation up", StringComparison.Ordinal) ? TimeSpan.FromMinutes(5)
        : step.Command.Contains("--watch", StringComparison.Ordinal) ? TimeSpan.FromSeconds(120)
        : TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ReadmeTour_RunVerbatimFromTheRepositoryRoot_EveryLineEndsAsTheReadmeSays()
    {
        var ct = TestContext.Current.CancellationToken;
        var steps = ReadmeTour.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "README.md"), ct));
        Assert.True(steps.Count > 0 && steps[^1].Command == Down,
            $"the README tour should end with '{Down}'; its commands are: {string.Join(" | ", steps.Select(s => s.Command))}");

        var transcript = new StringBuilder();
        var downRan = false;
        try
        {
            await using var bash = BashSession.Start(RepositoryRoot.Path, s_environment);
            foreach (var step in steps)
            {
                var timeout = TimeoutOf(step);
                var result = await bash.RunAsync(step.Command, timeout, ct);
                transcript.Append("$ ").AppendLine(step.Command).Append(result.Output);
                downRan |= step.Command == Down && result.ExitCode == 0;
                var failure = result switch
                {
                    { TimedOut: true } => $"did not finish within {timeout.TotalSeconds:0} s",
                    { ExitCode: null } => "did not end normally (the shell is gone)",
                    { ExitCode: var code } when code != step.ExpectedExit => $"exited {code}, the README expects {step.ExpectedExit}",
                    _ => null,
                };
                if (failure is not null)
                {
                    Assert.Fail($"README.md line {step.Line}: `{step.Command}` {failure}. Its output:{Environment.NewLine}{result.Output}" +
                                $"{Environment.NewLine}--- the whole tour so far ---{Environment.NewLine}{transcript}");
                }
            }
        }
        finally
        {
            TestContext.Current.TestOutputHelper?.WriteLine(transcript.ToString());
            if (!downRan)
            {
                await DownAsync();
            }
        }
    }

    /// <summary>Stops whatever the tour started, in a fresh shell (the tour's may have been killed); the test already has its verdict.</summary>
    private static async Task DownAsync()
    {
        await using var bash = BashSession.Start(RepositoryRoot.Path, s_environment);
        var result = await bash.RunAsync(Down, TimeSpan.FromSeconds(60), CancellationToken.None);
        TestContext.Current.TestOutputHelper?.WriteLine($"$ {Down} (clean-up){Environment.NewLine}{result.Output}exit: {result.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}");
    }
}
