namespace Federation.Silo.Jobs.Staging;

/// <summary>
/// A file as the kernel identifies it (<c>statx</c>): which file it is (<paramref name="Device"/> and
/// <paramref name="Inode"/>), its modification time to the nanosecond, and its status change time
/// (ctime). A write or any change of the file's times or attributes sets the ctime to the kernel's
/// clock, and no system call sets it back, unlike the modification time (<c>touch -d</c>).
/// </summary>
/// <param name="Device">The device the file is on: its major number in the high 32 bits, its minor in the low.</param>
/// <param name="Inode">The inode number on that device.</param>
/// <param name="ModifiedSeconds">Modification time, seconds since the Unix epoch.</param>
/// <param name="ModifiedNanoseconds">Modification time, nanoseconds within the second.</param>
/// <param name="ChangedSeconds">Status change time, seconds since the Unix epoch.</param>
/// <param name="ChangedNanoseconds">Status change time, nanoseconds within the second.</param>
public readonly record struct FileIdentity(ulong Device, ulong Inode, long ModifiedSeconds, uint ModifiedNanoseconds, long ChangedSeconds, uint ChangedNanoseconds);
