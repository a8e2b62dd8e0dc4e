namespace Federation.Docs.Tests;

/// <summary>The tour parser on small samples: what is a command, what is output, what is refused.</summary>
public sealed class ReadmeTourTests
{
    [Fact]
    public void Parse_ConsoleBlocks_ReturnsPromptLinesInOrderWithTheirLines()
    {
        const string markdown = """
            # Title

            ```console
            $ echo one
            one
            $ echo two
            ```

            Some prose.

            ```console
            $ export X=1
            ```
            """;

        var steps = ReadmeTour.Parse(markdown);

        Assert.Equal(
            [new TourStep("echo one", 4, 0), new TourStep("echo two", 6, 0), new TourStep("export X=1", 12, 0)],
            steps);
    }

    [Fact]
    public void Parse_OtherFencesAndPromptsOutsideBlocks_AreIgnored()
    {
        const string markdown = """
            $ not a command: outside any block

            ```bash
            $ echo bash-block
            ```

            ```
            $ echo plain-block
            ```

            ```console
            $ echo console-block
            $not-a-prompt
              $ indented is output
            ```
            """;

        var steps = ReadmeTour.Parse(markdown);

        Assert.Equal([new TourStep("echo console-block", 12, 0)], steps);
    }

    [Fact]
    public void Parse_ExitsComment_SetsTheExpectedExitCode()
    {
        const string markdown = """
            ```console
            $ fedctl jobs submit examples/jobs/failing.json --watch   # exits 10
            job tour-failing failed
            $ echo '# exits 3 is only text here' # a comment
            ```
            """;

        var steps = ReadmeTour.Parse(markdown);

        Assert.Equal(10, steps[0].ExpectedExit);
        Assert.Equal("fedctl jobs submit examples/jobs/failing.json --watch   # exits 10", steps[0].Command);
        Assert.Equal(0, steps[1].ExpectedExit);
    }

    [Fact]
    public void Parse_BackslashContinuation_JoinsTheNextLines()
    {
        const string markdown = """
            ```console
            $ infra/local/federation up FR DE SE \
                --advert-interval 00:00:05
            output
            ```
            """;

        var step = Assert.Single(ReadmeTour.Parse(markdown));

        Assert.Equal("infra/local/federation up FR DE SE \\\n    --advert-interval 00:00:05", step.Command);
        Assert.Equal(2, step.Line);
    }

    [Fact]
    public void Parse_UnclosedBlock_ThrowsNamingItsLine()
    {
        const string markdown = "text\n```console\n$ echo one\n";

        var error = Assert.Throws<FormatException>(() => ReadmeTour.Parse(markdown));

        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ContinuationAtTheEndOfABlock_Throws()
    {
        const string markdown = "```console\n$ echo one \\\n```\n";

        var error = Assert.Throws<FormatException>(() => ReadmeTour.Parse(markdown));

        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WindowsLineEndings_SameSteps()
    {
        var steps = ReadmeTour.Parse("```console\r\n$ echo one\r\none\r\n```\r\n");

        Assert.Equal([new TourStep("echo one", 2, 0)], steps);
    }
}
