namespace Federation.Benchmarks;

/// <summary>
/// Makes the machine busy while it lives: one thread per processor burning CPU and allocating (short-lived
/// buffers and a rolling set that survives a while, so that the garbage collector works in every generation).
/// The deciding thread then competes for processors and is suspended by collections it did not cause.
/// </summary>
internal sealed class BusyMachine : IDisposable
{
    private readonly Thread[] _threads;
    private volatile bool _stop;

    public BusyMachine()
    {
        _threads = [.. Enumerable.Range(0, Environment.ProcessorCount).Select(i => new Thread(Burn) { IsBackground = true, Name = $"busy-{i}" })];
        foreach (var thread in _threads)
        {
            thread.Start();
        }
    }

    /// <summary>Threads burning and allocating.</summary>
    public int Threads => _threads.Length;

    public void Dispose()
    {
        _stop = true;
        foreach (var thread in _threads)
        {
            thread.Join();
        }
    }

    private void Burn()
    {
        var kept = new byte[4_096][];
        var sum = 0L;
        for (var i = 0L; !_stop; i++)
        {
            var buffer = new byte[64 + (i % 2_048)];
            buffer[0] = (byte)i;
            sum += buffer[0];
            if (i % 16 == 0)
            {
                kept[(i / 16) % kept.Length] = buffer;
            }
        }

        GC.KeepAlive(kept);
        GC.KeepAlive(sum);
    }
}
