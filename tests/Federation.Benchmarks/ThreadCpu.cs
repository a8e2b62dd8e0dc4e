using System.Runtime.InteropServices;

namespace Federation.Benchmarks;

/// <summary>
/// The calling thread's processor time, to the nanosecond (<c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c>): the work of
/// a decision alone, without time preempted by other processes or suspended by another thread's garbage collection.
/// </summary>
internal static class ThreadCpu
{
    private const int ClockThreadCpuTimeId = 3;

    /// <summary>True where the clock exists (Linux).</summary>
    public static bool Available { get; } = OperatingSystem.IsLinux() && clock_gettime(ClockThreadCpuTimeId, out _) == 0;

    /// <summary>Nanoseconds this thread has run so far; 0 where the clock is not <see cref="Available"/>.</summary>
    public static long Nanoseconds() =>
        Available && clock_gettime(ClockThreadCpuTimeId, out var now) == 0 ? (now.Seconds * 1_000_000_000) + now.Nanoseconds : 0;

    // DllImport, not LibraryImport: the generated marshalling needs unsafe code, and a blittable out struct needs none.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "clock_gettime")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int clock_gettime(int clock, out Timespec time);
#pragma warning restore SYSLIB1054

    /// <summary><c>struct timespec</c> on 64-bit Linux.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
