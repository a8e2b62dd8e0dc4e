namespace Federation.Silo.Jobs.Staging;

/// <summary>
/// A file, read once (<see cref="FileDigestCache.Stat"/>): the file itself behind any symbolic links, its
/// length and modification time, and what the kernel identifies it by. Two equal values describe the same
/// unchanged file only when <paramref name="Identity"/> is known; without it (no <c>statx</c> here) a
/// digest is never remembered.
/// </summary>
/// <param name="Path">The full path of the file itself (symbolic links resolved).</param>
/// <param name="Length">Its length in bytes.</param>
/// <param name="Modified">Its modification time (UTC, 100 ns precision, as <see cref="FileSystemInfo.LastWriteTimeUtc"/>).</param>
/// <param name="Identity">Its device, inode, and modification and change times to the nanosecond; null where they cannot be read.</param>
public readonly record struct FileStat(string Path, long Length, DateTime Modified, FileIdentity? Identity);
