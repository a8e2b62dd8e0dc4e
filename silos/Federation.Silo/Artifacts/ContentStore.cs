using System.Security.Cryptography;
using Federation.Contracts.Ids;

namespace Federation.Silo.Artifacts;

/// <summary>
/// Files named by the SHA-256 of their bytes under one root directory (<c>root/sha256/ab/cdef…</c>).
/// A write streams into a temporary file under the root while hashing, and is renamed into place
/// only when the digest (and size, when declared) match what the caller declared; otherwise the
/// temporary file is removed and nothing is stored. The same bytes twice are one file. Paths are
/// made only from a parsed digest, and a symbolic link anywhere below the root is never followed,
/// so nothing is read or written outside the root.
/// </summary>
public sealed class ContentStore
{
    private const string Shards = "sha256";
    private const string Incoming = "incoming";
    private const int BufferSize = 1 << 16;

    /// <summary>Creates the store on <paramref name="root"/>, creating the directory when missing.</summary>
    /// <exception cref="InvalidOperationException">The root is not an absolute directory path.</exception>
    public ContentStore(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        if (!Path.IsPathFullyQualified(root))
        {
            throw new InvalidOperationException($"Federation:Artifacts:Root must be an absolute directory path, got '{root}'");
        }

        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(Path.Combine(Root, Shards));
        Directory.CreateDirectory(Path.Combine(Root, Incoming));
    }

    /// <summary>The store's directory.</summary>
    public string Root { get; }

    /// <summary>Where the content of <paramref name="digest"/> lives (whether or not it is stored).</summary>
    public string PathOf(Sha256Digest digest)
    {
        var hex = digest.Value ?? throw new ArgumentException("an empty digest names no content", nameof(digest));
        return Path.Combine(Root, Shards, hex[..2], hex[2..]);
    }

    /// <summary>The size of the stored content of <paramref name="digest"/>, or null when it is not stored.</summary>
    public long? SizeOf(Sha256Digest digest)
    {
        var path = PathOf(digest);
        if (!IsConfined(path))
        {
            return null;
        }

        var file = new FileInfo(path);
        return file.Exists ? file.Length : null;
    }

    /// <summary>Opens the stored content of <paramref name="digest"/> for reading, or null when it is not stored.</summary>
    public FileStream? OpenRead(Sha256Digest digest)
    {
        var path = PathOf(digest);
        if (!IsConfined(path) || !File.Exists(path))
        {
            return null;
        }

        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, useAsync: true);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// Streams <paramref name="source"/> into the store under <paramref name="expected"/>: stored only
    /// when its bytes hash to it, number <paramref name="expectedSize"/> (when given) and are at most
    /// <paramref name="maxBytes"/>.
    /// </summary>
    public async Task<ContentWrite> WriteAsync(Stream source, Sha256Digest expected, long? expectedSize, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var target = PathOf(expected);
        if (!IsConfined(target))
        {
            throw new IOException($"the store's shard of {expected} is a symbolic link; it is not followed (remove it under {Root})");
        }

        var limit = Math.Min(maxBytes, expectedSize ?? long.MaxValue);
        var temporary = Path.Combine(Root, Incoming, $".partial-{Guid.NewGuid():N}");
        long received = 0;
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, useAsync: true))
            {
                var buffer = new byte[BufferSize];
                int read;
                while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    received += read;
                    if (received > limit)
                    {
                        return new ContentWrite(received > maxBytes ? ContentWriteOutcome.TooLarge : ContentWriteOutcome.SizeMismatch, received, null);
                    }

                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }

                await file.FlushAsync(cancellationToken);
                file.Flush(flushToDisk: true);
            }

            var actual = Sha256Digest.TryParse(Convert.ToHexStringLower(hash.GetHashAndReset()), out var d, out _) ? d : default;
            if (actual != expected)
            {
                return new ContentWrite(ContentWriteOutcome.DigestMismatch, received, actual);
            }

            if (expectedSize is { } size && received != size)
            {
                return new ContentWrite(ContentWriteOutcome.SizeMismatch, received, actual);
            }

            if (File.Exists(target))
            {
                return new ContentWrite(ContentWriteOutcome.AlreadyStored, received, actual);
            }

            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            try
            {
                File.Move(temporary, target, overwrite: false);
            }
            catch (IOException) when (File.Exists(target))
            {
                // Someone stored the same bytes meanwhile: they are the same content.
                return new ContentWrite(ContentWriteOutcome.AlreadyStored, received, actual);
            }

            return new ContentWrite(ContentWriteOutcome.Stored, received, actual);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>
    /// Removes what no one will read: files under <c>incoming/</c> (partial uploads or pulls a crash
    /// left behind; a live write renews its file's time) and stored content that
    /// <paramref name="isNamed"/> says no model version names, each only when its last write is
    /// older than <paramref name="staleAfter"/> (so bytes stored a moment before their metadata row
    /// are kept). Symbolic links are neither followed nor removed.
    /// </summary>
    /// <returns>How many files were removed and how many bytes they held.</returns>
    public async Task<(int Files, long Bytes)> SweepAsync(Func<Sha256Digest, CancellationToken, Task<bool>> isNamed, TimeSpan staleAfter, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(isNamed);
        var before = now.UtcDateTime - staleAfter;
        var files = 0;
        long bytes = 0;
        void Remove(FileInfo file)
        {
            var length = file.Length;
            file.Delete();
            files++;
            bytes += length;
        }

        foreach (var file in new DirectoryInfo(Path.Combine(Root, Incoming)).EnumerateFiles())
        {
            if (file.LinkTarget is null && file.LastWriteTimeUtc < before)
            {
                Remove(file);
            }
        }

        foreach (var shard in new DirectoryInfo(Path.Combine(Root, Shards)).EnumerateDirectories())
        {
            if (shard.LinkTarget is not null)
            {
                continue;
            }

            foreach (var file in shard.EnumerateFiles())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (file.LinkTarget is not null || file.LastWriteTimeUtc >= before
                    || !Sha256Digest.TryParse(shard.Name + file.Name, out var digest, out _) || PathOf(digest) != file.FullName)
                {
                    continue;
                }

                if (!await isNamed(digest, cancellationToken))
                {
                    Remove(file);
                }
            }
        }

        return (files, bytes);
    }

    /// <summary>Whether every existing part of <paramref name="path"/> below the root is a plain directory or file (no symbolic link).</summary>
    private bool IsConfined(string path)
    {
        var full = Path.GetFullPath(path);
        if (!full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return false;
        }

        for (var current = full; current.Length > Root.Length; current = Path.GetDirectoryName(current)!)
        {
            if (new FileInfo(current).LinkTarget is not null)
            {
                return false;
            }
        }

        return true;
    }
}
