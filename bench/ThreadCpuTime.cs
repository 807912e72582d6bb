using System.Diagnostics;
using System.Runtime.InteropServices;

namespace BarlowTwins.Bench;

/// <summary>
/// CPU time of the calling thread (Linux clock_gettime(CLOCK_THREAD_CPUTIME_ID)): unlike wall
/// time, it does not grow when other processes take the core. Wall time elsewhere.
/// </summary>
internal static class ThreadCpuTime
{
    private const int ClockThreadCpuTime = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    /// <summary>Seconds of CPU this thread has used (wall seconds where the clock is unavailable).</summary>
    public static double Seconds() =>
        OperatingSystem.IsLinux() && ClockGetTime(ClockThreadCpuTime, out var time) == 0
            ? time.Seconds + time.Nanoseconds * 1e-9
            : Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency;
}
