using System.Diagnostics;

namespace Federation.Testing;

/// <summary>
/// Polls a condition until it holds or a deadline passes, then fails with a message that says
/// what was expected and what was last seen. For outcomes that arrive without an event to await
/// (a process, a database, a timer in another process).
/// </summary>
public static class Eventually
{
    /// <summary>Polls <paramref name="probe"/> until <paramref name="accept"/> holds; returns the accepted value.</summary>
    public static async Task<T> WaitAsync<T>(Func<Task<T>> probe, Func<T, bool> accept, TimeSpan timeout, string expectation, TimeSpan? interval = null)
    {
        var clock = Stopwatch.StartNew();
        T last = default!;
        Exception? lastError = null;
        using var ticks = new PeriodicTimer(interval ?? TimeSpan.FromMilliseconds(100));
        do
        {
            try
            {
                last = await probe();
                lastError = null;
                if (accept(last))
                {
                    return last;
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                lastError = e;
            }
        }
        while (clock.Elapsed < timeout && await ticks.WaitForNextTickAsync());

        throw new TimeoutException(
            $"Timed out after {timeout.TotalSeconds:0.#} s waiting for: {expectation}. " +
            (lastError is not null ? $"Last attempt failed: {lastError.GetType().Name}: {lastError.Message}" : $"Last seen: {last}"));
    }
}
