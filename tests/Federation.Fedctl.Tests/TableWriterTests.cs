using Federation.Fedctl.Output;

namespace Federation.Fedctl.Tests;

/// <summary>fedctl's tables never print raw control characters (issue 13: an ESC in a catalogue title drove the operator's terminal).</summary>
public sealed class TableWriterTests
{
    [Fact]
    public void Write_CellsWithEscNulAndC1_PrintedEscapedNeverRaw()
    {
        using var output = new StringWriter();

        TableWriter.Write(output, ["id", "title"], [["ds-1", "\u001b]0;pwned\u0007red\u001b[31m"], ["ds-2", "nul\u0000c1\u009b"]], maxCellWidth: 200);

        var text = output.ToString();
        Assert.DoesNotContain(text.ReplaceLineEndings("\n").Replace("\n", "", StringComparison.Ordinal), char.IsControl);
        Assert.Contains("\\u001B]0;pwned\\u0007red\\u001B[31m", text, StringComparison.Ordinal);
        Assert.Contains("nul\\u0000c1\\u009B", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Shorten_LineBreaksAndTabs_OneLineWithoutControls()
    {
        Assert.Equal("a b\\u0009c", TableWriter.Shorten("a\nb\tc", 48));
    }
}
