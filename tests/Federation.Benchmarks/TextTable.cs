using System.Text;

namespace Federation.Benchmarks;

/// <summary>A Markdown table whose columns are padded to line up in a terminal too; the first <paramref name="leftColumns"/> columns are left-aligned, the rest right-aligned.</summary>
internal sealed class TextTable(IReadOnlyList<string> headers, int leftColumns = 1)
{
    private readonly List<string[]> _rows = [];

    /// <summary>Adds a row of as many cells as there are headers.</summary>
    public void Add(params string[] cells) =>
        _rows.Add(cells.Length == headers.Count ? cells : throw new ArgumentException($"a row needs {headers.Count} cells, got {cells.Length}", nameof(cells)));

    /// <summary>Writes the header, the alignment row and the rows.</summary>
    public void WriteTo(TextWriter output)
    {
        var widths = headers.Select((h, c) => _rows.Select(r => r[c].Length).Append(h.Length).Append(4).Max()).ToArray();
        output.WriteLine(Line(headers, widths));
        output.WriteLine(Line([.. widths.Select((w, c) => c < leftColumns ? new string('-', w) : new string('-', w - 1) + ":")], widths));
        foreach (var row in _rows)
        {
            output.WriteLine(Line(row, widths));
        }
    }

    private string Line(IReadOnlyList<string> cells, int[] widths)
    {
        var line = new StringBuilder("|");
        for (var c = 0; c < cells.Count; c++)
        {
            line.Append(' ').Append(c < leftColumns ? cells[c].PadRight(widths[c]) : cells[c].PadLeft(widths[c])).Append(" |");
        }

        return line.ToString();
    }
}
