using System.Text;

namespace Federation.Fedctl.Output;

/// <summary>Writes rows as an aligned plain-text table with an upper-case header.</summary>
public static class TableWriter
{
    /// <summary>Writes <paramref name="rows"/> under <paramref name="headers"/>; long cells are cut with an ellipsis.</summary>
    public static void Write(TextWriter output, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, int maxCellWidth = 48)
    {
        var cells = rows.Select(r => r.Select(c => Shorten(c, maxCellWidth)).ToArray()).ToList();
        var widths = headers.Select((h, i) => Math.Max(Escape(h).Length, cells.Count == 0 ? 0 : cells.Max(r => r[i].Length))).ToArray();
        output.WriteLine(Line([.. headers.Select(h => Escape(h).ToUpperInvariant())], widths));
        foreach (var row in cells)
        {
            output.WriteLine(Line(row, widths));
        }
    }

    private static string Line(string[] cells, int[] widths)
    {
        var line = new StringBuilder();
        for (var i = 0; i < cells.Length; i++)
        {
            line.Append(i == cells.Length - 1 ? cells[i] : cells[i].PadRight(widths[i] + 2));
        }

        return line.ToString().TrimEnd();
    }

    /// <summary>
    /// <paramref name="text"/> on one line, control characters escaped, cut with an ellipsis to at
    /// most <paramref name="max"/> characters.
    /// </summary>
    public static string Shorten(string text, int max)
    {
        var single = Escape(text.ReplaceLineEndings(" "));
        return single.Length <= max ? single : string.Concat(single.AsSpan(0, max - 1), "…");
    }

    /// <summary>
    /// <paramref name="text"/> with every control character (ESC, NUL, C1, tab, ...) written as
    /// <c>\uXXXX</c>: a cell comes from another nation's catalogue, and a raw ESC would let it drive
    /// the operator's terminal.
    /// </summary>
    public static string Escape(string text)
    {
        if (!text.Any(char.IsControl))
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (char.IsControl(c))
            {
                escaped.Append("\\u").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                escaped.Append(c);
            }
        }

        return escaped.ToString();
    }
}
