using System.Globalization;
using System.Text.RegularExpressions;

namespace Federation.Docs.Tests;

/// <summary>
/// Reads the commands of a Markdown tour: every <c>```console</c> block, in order; in it, each line
/// that starts with <c>$ </c> is a command to run (a line ending in <c>\</c> continues on the next),
/// and every other line is sample output. A command whose documented outcome is a non-zero exit
/// says so with a trailing comment, <c># exits 10</c>, which bash ignores and the runner checks.
/// </summary>
public static partial class ReadmeTour
{
    private const string Prompt = "$ ";

    /// <summary>The commands of every console block of <paramref name="markdown"/>, in order.</summary>
    /// <exception cref="FormatException">A console block is not closed, or a continued command has no next line.</exception>
    public static IReadOnlyList<TourStep> Parse(string markdown)
    {
        var lines = markdown.ReplaceLineEndings("\n").Split('\n');
        var steps = new List<TourStep>();
        int? blockStart = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (blockStart is null)
            {
                if (ConsoleFence().IsMatch(line))
                {
                    blockStart = i + 1;
                }

                continue;
            }

            if (ClosingFence().IsMatch(line))
            {
                blockStart = null;
                continue;
            }

            if (!line.StartsWith(Prompt, StringComparison.Ordinal))
            {
                continue;
            }

            var start = i + 1;
            var command = line[Prompt.Length..];
            while (command.EndsWith('\\'))
            {
                if (++i >= lines.Length || ClosingFence().IsMatch(lines[i]))
                {
                    throw new FormatException($"line {start}: the command ends with '\\' but the console block has no next line to continue it");
                }

                command += "\n" + lines[i];
            }

            steps.Add(new TourStep(command.Trim(), start, ExpectedExitOf(command)));
        }

        return blockStart is { } open
            ? throw new FormatException($"line {open}: the ```console block is not closed")
            : steps;
    }

    private static int ExpectedExitOf(string command) =>
        ExitsComment().Match(command) is { Success: true } match
            ? int.Parse(match.Groups["code"].Value, CultureInfo.InvariantCulture)
            : 0;

    [GeneratedRegex(@"^```console\s*$")]
    private static partial Regex ConsoleFence();

    [GeneratedRegex(@"^```\s*$")]
    private static partial Regex ClosingFence();

    [GeneratedRegex(@"\s#\s*exits\s+(?<code>\d{1,3})\s*$")]
    private static partial Regex ExitsComment();
}
