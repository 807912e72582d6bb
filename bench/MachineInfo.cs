using System.Diagnostics;
using System.Globalization;
using TorchSharp;

namespace BarlowTwins.Bench;

/// <summary>What the figures depend on: the CPU, the threads, how busy the machine is, the matmul peak.</summary>
public static class MachineInfo
{
    /// <summary>The 1-minute load average (/proc/loadavg), or NaN where there is none.</summary>
    public static double LoadAverage() =>
        File.Exists("/proc/loadavg")
            ? double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture)
            : double.NaN;

    /// <summary>The CPU model name from /proc/cpuinfo, or the OS description.</summary>
    public static string CpuModel() =>
        File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim() ?? "unknown"
            : System.Runtime.InteropServices.RuntimeInformation.OSDescription;

    /// <summary>One line: CPU, cores, torch threads, load average.</summary>
    public static string Describe() =>
        $"machine: {CpuModel()}, {Environment.ProcessorCount} cores, torch threads {torch.get_num_threads()}, load average {LoadAverage():F2}";

    /// <summary>GFLOP/s of a 2048² float32 torch.mm in this process (mean of <paramref name="repetitions"/> after one warm-up).</summary>
    public static double MatmulGflops(int repetitions = 10)
    {
        const int n = 2048;
        using var a = torch.randn(n, n);
        using var b = torch.randn(n, n);
        a.mm(b).Dispose();
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < repetitions; i++) a.mm(b).Dispose();
        return 2.0 * n * n * n * repetitions / clock.Elapsed.TotalSeconds / 1e9;
    }
}
