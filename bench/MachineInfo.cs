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

    /// <summary>The CPU flags that decide which kernels libtorch's convolutions and the BLAS pick.</summary>
    public static IReadOnlyList<string> KernelFlags { get; } = ["avx2", "avx512f", "avx512_bf16", "amx_bf16", "amx_tile"];

    /// <summary>The CPU vendor and model name from /proc/cpuinfo, or the OS description.</summary>
    public static string CpuModel() =>
        CpuInfo("model name") is string model
            ? $"{CpuInfo("vendor_id") ?? "unknown vendor"} {model} (family {CpuInfo("cpu family")}, model {CpuInfo("model")})"
            : System.Runtime.InteropServices.RuntimeInformation.OSDescription;

    /// <summary>Which of <see cref="KernelFlags"/> the CPU has, e.g. "avx2 avx512f avx512_bf16 -amx_bf16 -amx_tile".</summary>
    public static string KernelFlagsPresent()
    {
        var flags = (CpuInfo("flags") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        return string.Join(" ", KernelFlags.Select(f => flags.Contains(f) ? f : $"-{f}"));
    }

    /// <summary>One line: CPU, kernel flags, cores, torch threads, load average.</summary>
    public static string Describe() =>
        $"machine: {CpuModel()}, flags {KernelFlagsPresent()}, {Environment.ProcessorCount} cores, " +
        $"torch threads {torch.get_num_threads()}, load average {LoadAverage():F2}";

    // The first processor's value of KEY in /proc/cpuinfo, or null.
    private static string? CpuInfo(string key) =>
        File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").Select(l => l.Split(':', 2)).FirstOrDefault(p => p.Length == 2 && p[0].Trim() == key)?[1].Trim()
            : null;

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
