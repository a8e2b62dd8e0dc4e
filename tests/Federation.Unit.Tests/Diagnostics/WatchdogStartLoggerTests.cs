using Federation.Silo.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Federation.Unit.Tests.Diagnostics;

public sealed class WatchdogStartLoggerTests
{
    private const string StallTemplate = "Participant check thread has not completed for {TimeSinceLastTick}, potentially indicating lock contention or deadlock, CPU starvation, or another execution anomaly.";

    private static IReadOnlyList<KeyValuePair<string, object?>> Stall(TimeSpan stalled) =>
        [new("TimeSinceLastTick", stalled), new("{OriginalFormat}", StallTemplate)];

    private static List<string> Written(Action<ILogger> log)
    {
        var written = new List<string>();
        using var factory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new ListProvider(written)));
        log(new WatchdogStartLogger<WatchdogStartLoggerTests>(factory));
        return written;
    }

    [Fact]
    public void Log_StallLongerThanTheWatchdogHasExisted_IsDropped()
    {
        Assert.Empty(Written(logger => logger.Log(LogLevel.Warning, new EventId(100150), Stall(TimeSpan.FromMinutes(25)), null, (_, _) => "stall")));
    }

    [Fact]
    public void Log_StallThatCanBeReal_IsWritten()
    {
        Assert.Equal(["stall"], Written(logger => logger.Log(LogLevel.Warning, new EventId(100150), Stall(TimeSpan.FromSeconds(2)), null, (_, _) => "stall")));
    }

    [Fact]
    public void Log_OtherWatchdogWarnings_AreWritten()
    {
        IReadOnlyList<KeyValuePair<string, object?>> other = [new("TimeSinceLastTick", TimeSpan.FromMinutes(25)), new("{OriginalFormat}", ".NET Runtime Platform stalled for {TimeSinceLastTick}")];
        Assert.Equal(["platform"], Written(logger => logger.Log(LogLevel.Warning, new EventId(100150), other, null, (_, _) => "platform")));
    }

    [Fact]
    public void AddQuietStart_ThisOrleansVersion_HasTheWatchdogType()
    {
        Assert.NotNull(Type.GetType(QuietStart.WatchdogTypeName, throwOnError: false));
    }

    private sealed class ListProvider(List<string> written) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new ListLogger(written);

        public void Dispose()
        {
        }
    }

    private sealed class ListLogger(List<string> written) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            written.Add(formatter(state, exception));
    }
}
