using Microsoft.Extensions.Options;

namespace Federation.Silo.Overview;

/// <summary>
/// What every open overview stream shares: the rendered sections, read at most once per half
/// <see cref="OverviewOptions.RefreshInterval"/> however many streams ask, and the bounded set of
/// stream slots (<see cref="OverviewOptions.MaxStreams"/>).
/// </summary>
public sealed class OverviewFeed : IDisposable
{
    private readonly OverviewSource _source;
    private readonly TimeProvider _time;
    private readonly OverviewOptions _options;
    private readonly SemaphoreSlim _slots;
    private readonly SemaphoreSlim _reading = new(1, 1);
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;
    private IReadOnlyList<KeyValuePair<string, string>> _sections = [];

    /// <summary>Creates the feed.</summary>
    public OverviewFeed(OverviewSource source, TimeProvider time, IOptions<OverviewOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _source = source;
        _time = time;
        _options = options.Value;
        _slots = new SemaphoreSlim(_options.MaxStreams, _options.MaxStreams);
    }

    /// <summary>Streams open now.</summary>
    public int OpenStreams => _options.MaxStreams - _slots.CurrentCount;

    /// <summary>Takes a stream slot; false when all <see cref="OverviewOptions.MaxStreams"/> are taken.</summary>
    public bool TryOpenStream() => _slots.Wait(0);

    /// <summary>Gives back a slot taken by <see cref="TryOpenStream"/>.</summary>
    public void CloseStream() => _slots.Release();

    /// <summary>The page's sections as of now (at most half a refresh interval old).</summary>
    public async Task<IReadOnlyList<KeyValuePair<string, string>>> SectionsAsync(CancellationToken cancellationToken)
    {
        await _reading.WaitAsync(cancellationToken);
        try
        {
            if (_time.GetUtcNow() - _readAt >= _options.RefreshInterval / 2)
            {
                _sections = OverviewRenderer.Sections(OverviewBuilder.Build(await _source.ReadAsync(cancellationToken)));
                _readAt = _time.GetUtcNow();
            }

            return _sections;
        }
        finally
        {
            _reading.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _slots.Dispose();
        _reading.Dispose();
    }
}
