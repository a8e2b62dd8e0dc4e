using System.Diagnostics;

namespace Federation.Silo.Diagnostics;

/// <summary>
/// The logger of Orleans' watchdog, without its one false alarm at start: its platform thread may
/// look at the component thread's timestamp before that thread has set it, and then warns that the
/// participant check "has not completed" for as long as the machine has been up. A stall longer
/// than the watchdog has existed cannot be real, so that warning (and only that one) is dropped;
/// every real stall is still logged.
/// </summary>
/// <typeparam name="T">The watchdog's type (internal to Orleans).</typeparam>
public sealed class WatchdogStartLogger<T>(ILoggerFactory factory) : ILogger<T>
{
    private const string StallTemplatePrefix = "Participant check thread has not completed";

    // Slack for the time between this logger's creation and the watchdog's start.
    private static readonly TimeSpan s_slack = TimeSpan.FromSeconds(5);

    private readonly ILogger _inner = factory.CreateLogger<T>();
    private readonly long _createdAt = Stopwatch.GetTimestamp();

    /// <inheritdoc />
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => _inner.BeginScope(state);

    /// <inheritdoc />
    public bool IsEnabled(LogLevel logLevel) => _inner.IsEnabled(logLevel);

    /// <inheritdoc />
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsImpossibleStall(state))
        {
            _inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }

    private bool IsImpossibleStall<TState>(TState state)
    {
        if (state is not IReadOnlyList<KeyValuePair<string, object?>> values)
        {
            return false;
        }

        var template = values.FirstOrDefault(v => v.Key == "{OriginalFormat}").Value as string;
        return template?.StartsWith(StallTemplatePrefix, StringComparison.Ordinal) == true
            && values.FirstOrDefault(v => v.Value is TimeSpan).Value is TimeSpan stalled
            && stalled > Stopwatch.GetElapsedTime(_createdAt) + s_slack;
    }
}
