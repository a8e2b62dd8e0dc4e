using System.Globalization;
using System.Text;

namespace Federation.Lifecycle.Tests.Simulation;

/// <summary>
/// The readable record of a run, one line per step (true time, nation, input, outcome), kept in a
/// ring buffer of the last <c>capacity</c> lines. Runs are traced only when asked (a replayed
/// seed): a failing seed is run again with a trace, which a deterministic run makes the same run.
/// </summary>
public sealed class SimulationTrace(int capacity)
{
    private readonly string[] _lines = new string[capacity];
    private long _written;

    /// <summary>Lines written in all (more than are kept when the ring wrapped).</summary>
    public long Written => _written;

    /// <summary>Adds a line for a step at <paramref name="at"/>.</summary>
    public void Add(TimeSpan at, string nation, string input, string outcome) =>
        _lines[_written++ % _lines.Length] = string.Create(
            CultureInfo.InvariantCulture, $"{at.TotalSeconds,10:F3}s {nation,-3} {input} => {outcome}");

    /// <summary>The kept lines, oldest first.</summary>
    public IReadOnlyList<string> Lines()
    {
        var kept = (int)Math.Min(_written, _lines.Length);
        var first = _written - kept;
        var lines = new List<string>(kept);
        for (var i = first; i < _written; i++)
        {
            lines.Add(_lines[i % _lines.Length]);
        }

        return lines;
    }

    /// <summary>The kept lines as one text, with a note when earlier lines were dropped.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        if (_written > _lines.Length)
        {
            text.Append(CultureInfo.InvariantCulture, $"... {_written - _lines.Length} earlier lines not kept ...\n");
        }

        foreach (var line in Lines())
        {
            text.Append(line).Append('\n');
        }

        return text.ToString();
    }
}
