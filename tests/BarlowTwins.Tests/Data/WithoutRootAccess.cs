using System.Runtime.InteropServices;

namespace BarlowTwins.Tests.Data;

/// <summary>
/// Runs code on a thread that obeys file permissions even when the tests run as root: Linux
/// capabilities belong to each thread, so dropping CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH from
/// one thread's effective set makes a mode-000 folder unreadable there, and nowhere else.
/// </summary>
public static class WithoutRootAccess
{
    private const uint Version3 = 0x20080522;
    private const int DacOverride = 1, DacReadSearch = 2;

    [StructLayout(LayoutKind.Sequential)]
    private struct Header
    {
        public uint Version;
        public int Pid;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Data
    {
        public uint Effective, Permitted, Inheritable;
    }

    /// <summary>Runs <paramref name="action"/> on a fresh thread without the two file-access overrides and returns its result.</summary>
    public static T Run<T>(Func<T> action)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                DropOverrides();
                result = action();
            }
            catch (Exception error)
            {
                failure = error;
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null) throw new InvalidOperationException("failed without root access", failure);
        return result;
    }

    private static void DropOverrides()
    {
        var header = new Header { Version = Version3, Pid = 0 }; // pid 0: this thread
        var data = new Data[2];
        if (CapGet(ref header, data) != 0) throw new InvalidOperationException($"capget failed ({Marshal.GetLastPInvokeError()})");
        data[0].Effective &= ~((1u << DacOverride) | (1u << DacReadSearch));
        if (CapSet(ref header, data) != 0) throw new InvalidOperationException($"capset failed ({Marshal.GetLastPInvokeError()})");
    }

    [DllImport("libc", EntryPoint = "capget", SetLastError = true)]
    private static extern int CapGet(ref Header header, [In, Out] Data[] data);

    [DllImport("libc", EntryPoint = "capset", SetLastError = true)]
    private static extern int CapSet(ref Header header, Data[] data);
}
