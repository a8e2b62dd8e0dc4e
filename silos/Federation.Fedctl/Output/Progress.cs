using System.Diagnostics;

namespace Federation.Fedctl.Output;

/// <summary>Progress of a long operation on standard error: one line per tenth, with the rate.</summary>
public sealed class Progress(TextWriter error, string verb, int total)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _lock = new();
    private int _done;
    private int _lastTenth;

    /// <summary>Counts one finished item.</summary>
    public void Advance()
    {
        lock (_lock)
        {
            _done++;
            var tenth = total == 0 ? 10 : _done * 10 / total;
            if (total >= 10 && tenth > _lastTenth)
            {
                _lastTenth = tenth;
                error.WriteLine($"{verb} {_done}/{total} ({_done * 100 / total}%), {Rate():0.#}/s");
            }
        }
    }

    /// <summary>Items per second so far.</summary>
    public double Rate() => _done / Math.Max(_clock.Elapsed.TotalSeconds, 0.001);

    /// <summary>Time since the start.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;
}
