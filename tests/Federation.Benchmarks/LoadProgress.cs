using System.Diagnostics;
using System.Globalization;

namespace Federation.Benchmarks;

/// <summary>Counts completed writes and prints a line at every 5 % with the overall and recent rate.</summary>
internal sealed class LoadProgress(int total, TextWriter output)
{
    private const int StepPercent = 5;

    private readonly Lock _lock = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _done;
    private int _nextPercent = StepPercent;
    private int _lastDone;
    private TimeSpan _lastElapsed;

    /// <summary>Time since the load began.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Records one completed write.</summary>
    public void Completed()
    {
        var done = Interlocked.Increment(ref _done);
        if ((long)done * 100 < (long)Volatile.Read(ref _nextPercent) * total)
        {
            return;
        }

        lock (_lock)
        {
            while ((long)done * 100 >= (long)_nextPercent * total && _nextPercent <= 100)
            {
                var elapsed = _clock.Elapsed;
                var recent = (done - _lastDone) / Math.Max((elapsed - _lastElapsed).TotalSeconds, 1e-9);
                output.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"  {_nextPercent,3}%  {done,7:N0}/{total:N0}  {elapsed.TotalSeconds,7:F1} s  {done / elapsed.TotalSeconds,7:F0} datasets/s overall, {recent,7:F0}/s since the last line"));
                output.Flush();
                _lastDone = done;
                _lastElapsed = elapsed;
                _nextPercent += StepPercent;
            }
        }
    }
}
