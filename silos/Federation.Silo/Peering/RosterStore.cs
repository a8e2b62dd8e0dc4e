using Federation.Protocol.Roster;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Peering;

/// <summary>
/// The federation roster, read from <see cref="PeeringOptions.RosterPath"/>. Edits are picked up
/// without a restart: a file watcher marks the roster stale, and every access also compares the
/// file's last-write time and size at most every 250 ms. An invalid edit is logged and the last
/// good roster stays in force. Without a roster nobody is a peer.
/// The file is version 1 of the governed roster (the bootstrap); once a signed version is installed
/// (<see cref="Install"/>, by <see cref="Governance.RosterGovernance"/> after it checked the version's
/// quorum and chain), that version takes precedence and edits of the file no longer change who is a peer.
/// A pin is accepted while it is valid now (<see cref="RosterEntry.AcceptsPinAt"/>): retired pins until their end.
/// </summary>
public sealed partial class RosterStore : IDisposable
{
    /// <summary>How often an access looks at the file when no watcher event arrived.</summary>
    public static readonly TimeSpan CheckInterval = TimeSpan.FromMilliseconds(250);

    private readonly string? _path;
    private readonly TimeProvider _time;
    private readonly ILogger<RosterStore> _logger;
    private readonly FileSystemWatcher? _watcher;
    private readonly Lock _gate = new();
    private IReadOnlyList<RosterEntry> _entries = [];
    private (DateTime WrittenUtc, long Length)? _loadedStamp;
    private long _lastCheck;
    private volatile bool _stale = true;
    private volatile string? _lastProblem;
    private volatile SignedRoster? _signed;

    /// <summary>Creates the store and loads the roster once.</summary>
    public RosterStore(IOptions<PeeringOptions> options, TimeProvider time, ILogger<RosterStore> logger)
    {
        _time = time;
        _logger = logger;
        var path = options.Value.RosterPath;
        _path = string.IsNullOrWhiteSpace(path) ? null : Path.GetFullPath(path);
        if (_path is not null)
        {
            var directory = Path.GetDirectoryName(_path);
            if (directory is not null && Directory.Exists(directory))
            {
                _watcher = new FileSystemWatcher(directory, Path.GetFileName(_path))
                {
                    NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.FileName | NotifyFilters.CreationTime,
                };
                _watcher.Changed += (_, _) => _stale = true;
                _watcher.Created += (_, _) => _stale = true;
                _watcher.Deleted += (_, _) => _stale = true;
                _watcher.Renamed += (_, _) => _stale = true;
                _watcher.EnableRaisingEvents = true;
            }

            Refresh(force: true);
        }
    }

    /// <summary>The roster file, or null when none is configured.</summary>
    public string? FilePath => _path;

    /// <summary>Every nation on the current roster.</summary>
    public IReadOnlyList<RosterEntry> Entries
    {
        get
        {
            if (_signed is { } signed)
            {
                return signed.Nations;
            }

            Refresh(force: false);
            return _entries;
        }
    }

    /// <summary>The roster version in force: the installed signed version, or version 1 made from the file.</summary>
    public SignedRoster Current
    {
        get
        {
            if (_signed is { } signed)
            {
                return signed;
            }

            return Bootstrap;
        }
    }

    /// <summary>Version 1: the roster file as it reads now (once a signed version is in force, the file must not change).</summary>
    public SignedRoster Bootstrap
    {
        get
        {
            Refresh(force: false);
            return SignedRoster.Bootstrap(new RosterDocument(_entries));
        }
    }

    /// <summary>
    /// Puts <paramref name="version"/> in force. The caller has checked it against <see cref="Current"/>
    /// (<see cref="RosterRules.Check"/>) and persisted it; this store only holds it.
    /// </summary>
    public void Install(SignedRoster version)
    {
        ArgumentNullException.ThrowIfNull(version);
        lock (_gate)
        {
            _signed = version;
        }

        var codes = string.Join(",", version.Nations.Select(n => n.Code));
        LogVersionInstalled(_logger, version.Version, version.Nations.Count, codes);
    }

    /// <summary>Why the roster file on disk is not in force (invalid or missing), or null when it is.</summary>
    public string? LastProblem
    {
        get
        {
            Refresh(force: false);
            return _lastProblem;
        }
    }

    /// <summary>The nation one of whose pins is <paramref name="pin"/>, or null.</summary>
    /// <remarks>A retired pin counts until its end; after it, the pin names nobody.</remarks>
    public RosterEntry? FindByPin(string pin)
    {
        var now = _time.GetUtcNow();
        return Entries.FirstOrDefault(e => e.AcceptsPinAt(pin, now));
    }

    /// <summary>Whether <paramref name="pin"/> is valid now for the nation <paramref name="code"/>.</summary>
    public bool AcceptsPin(string code, string pin) => Find(code)?.AcceptsPinAt(pin, _time.GetUtcNow()) == true;

    /// <summary>The nation with code <paramref name="code"/>, or null.</summary>
    public RosterEntry? Find(string code) => Entries.FirstOrDefault(e => string.Equals(e.Code, code, StringComparison.Ordinal));

    /// <inheritdoc />
    public void Dispose() => _watcher?.Dispose();

    private void Refresh(bool force)
    {
        if (_path is null)
        {
            return;
        }

        var now = _time.GetTimestamp();
        if (!force && !_stale && _time.GetElapsedTime(Interlocked.Read(ref _lastCheck), now) < CheckInterval)
        {
            return;
        }

        lock (_gate)
        {
            Interlocked.Exchange(ref _lastCheck, now);
            _stale = false;
            var info = new FileInfo(_path);
            if (!info.Exists)
            {
                if (_loadedStamp is not null || force)
                {
                    LogRosterMissing(_logger, _path, _entries.Count);
                    _lastProblem = $"{_path} does not exist";
                    _loadedStamp = null;
                }

                return;
            }

            var stamp = (info.LastWriteTimeUtc, info.Length);
            if (!force && _loadedStamp == stamp)
            {
                return;
            }

            try
            {
                var document = RosterDocument.Parse(File.ReadAllText(_path));
                _entries = document.Nations;
                _loadedStamp = stamp;
                _lastProblem = null;
                var codes = string.Join(",", document.Nations.Select(n => n.Code));
                LogRosterLoaded(_logger, _path, document.Nations.Count, codes);
            }
            catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
            {
                // Remember the stamp so that one bad edit is logged once; the next edit is read again.
                _loadedStamp = stamp;
                _lastProblem = e.Message;
                LogRosterInvalid(_logger, _path, e.Message, _entries.Count);
            }
        }
    }

    [LoggerMessage(EventId = 5301, Level = LogLevel.Information, Message = "Roster {Path} loaded: {Count} nations ({Codes})")]
    private static partial void LogRosterLoaded(ILogger logger, string path, int count, string codes);

    [LoggerMessage(EventId = 5302, Level = LogLevel.Error, Message = "Roster {Path} is invalid, keeping the last good roster ({Count} nations): {Problem}")]
    private static partial void LogRosterInvalid(ILogger logger, string path, string problem, int count);

    [LoggerMessage(EventId = 5304, Level = LogLevel.Information, Message = "Roster version {Version} in force: {Count} nations ({Codes})")]
    private static partial void LogVersionInstalled(ILogger logger, long version, int count, string codes);

    [LoggerMessage(EventId = 5303, Level = LogLevel.Error, Message = "Roster {Path} does not exist, keeping the last good roster ({Count} nations)")]
    private static partial void LogRosterMissing(ILogger logger, string path, int count);
}
