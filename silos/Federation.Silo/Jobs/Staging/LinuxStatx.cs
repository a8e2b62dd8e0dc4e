using System.Runtime.InteropServices;

namespace Federation.Silo.Jobs.Staging;

/// <summary>
/// Linux <c>statx(2)</c>, for what <see cref="FileInfo"/> does not tell: the device and inode of a file,
/// its status change time, and its times to the nanosecond. <c>struct statx</c> has one layout on every
/// architecture, unlike <c>struct stat</c>. Where there is no <c>statx</c> (not Linux, a kernel or C
/// library without it) nothing is read.
/// </summary>
internal static class LinuxStatx
{
    private const int AtFdCwd = -100;
    private const int NoSuchFile = 2;
    private const int NotADirectory = 20;
    private const int NotImplemented = 38;
    private const uint BasicStats = 0x7ff;

    // STATX_TYPE | STATX_MTIME | STATX_CTIME | STATX_INO | STATX_SIZE: the fields a key is made of.
    private const uint Needed = 0x1 | 0x40 | 0x80 | 0x100 | 0x200;
    private const ushort TypeMask = 0xF000;
    private const ushort RegularFile = 0x8000;

    private static volatile bool _unavailable = !OperatingSystem.IsLinux();

    /// <summary>What became of a <see cref="Read"/>.</summary>
    internal enum Outcome
    {
        /// <summary>The kernel described the file.</summary>
        Read,

        /// <summary>There is no such file, or it is not a regular file (a directory, a FIFO, a socket, a device).</summary>
        NoFile,

        /// <summary>Nothing is known: no <c>statx</c> here, or it failed otherwise, or left out a needed field.</summary>
        Unknown,
    }

    /// <summary>
    /// The file at <paramref name="path"/>, symbolic links followed: its <paramref name="length"/>, modification time
    /// (<paramref name="modified"/>, 100 ns precision) and <paramref name="identity"/>, when <see cref="Outcome.Read"/>.
    /// </summary>
    internal static Outcome Read(string path, out long length, out DateTime modified, out FileIdentity identity)
    {
        length = 0;
        modified = default;
        identity = default;
        if (_unavailable)
        {
            return Outcome.Unknown;
        }

        int result;
        int error;
        Buffer buffer;
        try
        {
            // Flags 0: AT_STATX_SYNC_AS_STAT, and without AT_SYMLINK_NOFOLLOW a final link is followed.
            result = Statx(AtFdCwd, path, 0, BasicStats, out buffer);
            error = Marshal.GetLastPInvokeError();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            _unavailable = true;
            return Outcome.Unknown;
        }

        if (result != 0)
        {
            if (error == NotImplemented)
            {
                _unavailable = true;
            }

            return error is NoSuchFile or NotADirectory ? Outcome.NoFile : Outcome.Unknown;
        }

        if ((buffer.Mask & Needed) != Needed)
        {
            return Outcome.Unknown;
        }

        if ((buffer.Mode & TypeMask) != RegularFile)
        {
            // A directory, or a FIFO, socket or device put where a file was: reading it could block for ever.
            return Outcome.NoFile;
        }

        length = (long)buffer.Size;
        modified = ToDateTime(buffer.ModifiedSeconds, buffer.ModifiedNanoseconds);
        identity = new FileIdentity(
            ((ulong)buffer.DeviceMajor << 32) | buffer.DeviceMinor,
            buffer.Inode,
            buffer.ModifiedSeconds,
            buffer.ModifiedNanoseconds,
            buffer.ChangedSeconds,
            buffer.ChangedNanoseconds);
        return Outcome.Read;
    }

    /// <summary>The time, as <see cref="FileSystemInfo.LastWriteTimeUtc"/> gives it (100 ns precision), kept inside <see cref="DateTime"/>'s range.</summary>
    private static DateTime ToDateTime(long seconds, uint nanoseconds)
    {
        const long First = -62_135_596_800;
        const long Last = 253_402_300_799;
        var clamped = Math.Clamp(seconds, First, Last);
        return DateTime.UnixEpoch.AddTicks((clamped * TimeSpan.TicksPerSecond) + (Math.Min(nanoseconds, 999_999_999u) / 100));
    }

    // DllImport, not LibraryImport, as in ThreadCpu: the generated marshalling needs unsafe code (AllowUnsafeBlocks for the whole silo), and a
    // UTF-8 path and a blittable out struct need none.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Statx(int directory, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, out Buffer buffer);
#pragma warning restore SYSLIB1054

    /// <summary><c>struct statx</c> (linux/stat.h), 256 bytes on every architecture; only the fields read are named.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct Buffer
    {
        [FieldOffset(0)]
        public uint Mask;

        [FieldOffset(28)]
        public ushort Mode;

        [FieldOffset(32)]
        public ulong Inode;

        [FieldOffset(40)]
        public ulong Size;

        [FieldOffset(96)]
        public long ChangedSeconds;

        [FieldOffset(104)]
        public uint ChangedNanoseconds;

        [FieldOffset(112)]
        public long ModifiedSeconds;

        [FieldOffset(120)]
        public uint ModifiedNanoseconds;

        [FieldOffset(136)]
        public uint DeviceMajor;

        [FieldOffset(140)]
        public uint DeviceMinor;
    }
}
