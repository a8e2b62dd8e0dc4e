using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Federation.Silo.Jobs.Staging;

/// <summary>
/// SHA-256 digests of local files, remembered so that a file that did not change is read once per
/// process (dataset files served or linked many times, job outputs listed again and again).
/// </summary>
/// <remarks>
/// <para>
/// A digest is remembered under the whole <see cref="FileStat"/> of the file: path, length and
/// modification time, and the kernel's <see cref="FileIdentity"/>: device, inode, modification time to
/// the nanosecond and status change time (ctime). Path, length and modification time alone do not
/// tell that a file changed: whoever may write a dataset file can put other bytes of the same length
/// in it and set its modification time back (<c>touch -d</c>), or rename another file over it. The
/// ctime cannot be set back, and a file renamed over another is another inode.
/// </para>
/// <para>
/// Timestamps are coarse (a kernel tick, a second on some file systems), so a write in the same tick
/// as the last change leaves the ctime as it was; a digest is therefore remembered only when the file's
/// ctime is at least <see cref="RecentChange"/> older than the read, and only when the file's stat is
/// the same after the read as before (a file that changes while it is read is not remembered). Writes
/// through a shared memory mapping change the times only at the first write after each writeback,
/// which no stat can see. Where the identity cannot be read (no <c>statx</c>: not Linux, or an old
/// kernel) nothing is remembered and every call reads the file.
/// </para>
/// </remarks>
public sealed class FileDigestCache
{
    /// <summary>A file whose status changed less than this before it is read is not remembered (coarse timestamps).</summary>
    public static readonly TimeSpan RecentChange = TimeSpan.FromSeconds(2);

    private const int MaxEntries = 10_000;
    private readonly ConcurrentDictionary<string, Entry> _digests = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    /// <summary>Creates an empty cache; <paramref name="time"/> tells how long ago a file changed (the system clock by default).</summary>
    public FileDigestCache(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The lower-case hex SHA-256 of the file at <paramref name="path"/> (symbolic links followed).</summary>
    /// <exception cref="FileNotFoundException">There is no such file (the returned task fails).</exception>
    public async Task<string> Sha256Async(string path, CancellationToken cancellationToken) => await Sha256Async(Stat(path), cancellationToken);

    /// <summary>
    /// The lower-case hex SHA-256 of the file <paramref name="before"/> was just read from (<see cref="Stat"/>),
    /// from memory when a file with the very same <see cref="FileStat"/> was read before.
    /// </summary>
    /// <exception cref="FileNotFoundException">There is no such file, or it is not a regular file (Linux).</exception>
    public async Task<string> Sha256Async(FileStat before, CancellationToken cancellationToken)
    {
        if (before.Identity is not null && _digests.TryGetValue(before.Path, out var known) && known.Stat == before)
        {
            return known.Digest;
        }

        var reading = _time.GetUtcNow();
        string digest;
        await using (var stream = new FileStream(before.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, useAsync: true))
        {
            digest = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
        }

        var after = Stat(before.Path);
        if (after == before && before.Identity is { } identity && identity.ChangedSeconds < (reading - RecentChange).ToUnixTimeSeconds())
        {
            if (_digests.Count >= MaxEntries)
            {
                _digests.Clear();
            }

            _digests[before.Path] = new Entry(before, digest);
        }

        return digest;
    }

    /// <summary>
    /// The file itself behind any symbolic links: its full path, length and modification time, and, on Linux,
    /// its device, inode, and modification and change times to the nanosecond (<see cref="FileStat.Identity"/>).
    /// </summary>
    /// <exception cref="FileNotFoundException">There is no such file, or it is not a regular file (Linux).</exception>
    public static FileStat Stat(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            info = info.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? info;
        }

        info.Refresh();
        if (!info.Exists)
        {
            throw new FileNotFoundException("no such file", path);
        }

        // One statx for length, time and identity together; FileInfo's own values only where it cannot be read.
        return LinuxStatx.Read(info.FullName, out var length, out var modified, out var identity) switch
        {
            LinuxStatx.Outcome.Read => new FileStat(info.FullName, length, modified, identity),
            LinuxStatx.Outcome.NoFile => throw new FileNotFoundException("no such file", path),
            _ => new FileStat(info.FullName, info.Length, info.LastWriteTimeUtc, null),
        };
    }

    private sealed record Entry(FileStat Stat, string Digest);
}
