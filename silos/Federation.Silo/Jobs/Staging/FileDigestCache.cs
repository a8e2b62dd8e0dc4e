using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Federation.Silo.Jobs.Staging;

/// <summary>
/// SHA-256 digests of local files, remembered per path, length and modification time: a file that
/// did not change is read once per process (dataset files served or linked many times, job outputs
/// listed again and again). A file that changes while it is read is not remembered.
/// </summary>
public sealed class FileDigestCache
{
    private const int MaxEntries = 10_000;
    private readonly ConcurrentDictionary<string, Entry> _digests = new(StringComparer.Ordinal);

    /// <summary>The lower-case hex SHA-256 of the file at <paramref name="path"/> (symbolic links followed).</summary>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    public async Task<string> Sha256Async(string path, CancellationToken cancellationToken) => await Sha256Async(Stat(path), cancellationToken);

    /// <summary>The lower-case hex SHA-256 of the file <paramref name="before"/> was just read from (<see cref="Stat"/>), so that it is not read again.</summary>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    public async Task<string> Sha256Async((string Path, long Length, DateTime Modified) before, CancellationToken cancellationToken)
    {
        if (_digests.TryGetValue(before.Path, out var known) && known.Length == before.Length && known.Modified == before.Modified)
        {
            return known.Digest;
        }

        string digest;
        await using (var stream = new FileStream(before.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, useAsync: true))
        {
            digest = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
        }

        var after = Stat(before.Path);
        if (after == before)
        {
            if (_digests.Count >= MaxEntries)
            {
                _digests.Clear();
            }

            _digests[before.Path] = new Entry(before.Length, before.Modified, digest);
        }

        return digest;
    }

    /// <summary>The file itself behind any symbolic links: its full path, length and modification time.</summary>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    public static (string Path, long Length, DateTime Modified) Stat(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            info = info.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? info;
        }

        info.Refresh();
        return info.Exists
            ? (info.FullName, info.Length, info.LastWriteTimeUtc)
            : throw new FileNotFoundException("no such file", path);
    }

    private sealed record Entry(long Length, DateTime Modified, string Digest);
}
