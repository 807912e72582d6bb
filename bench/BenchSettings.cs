using BarlowTwins.Distributed;
using TorchSharp;

namespace BarlowTwins.Bench;

/// <summary>Settings shared by <c>barlow bench step|loss|all</c>.</summary>
/// <param name="Threads">torch intra-op threads, on both sides (the reference gets <c>--threads</c>).</param>
/// <param name="InteropThreads">torch inter-op threads for our side, or 0 to leave libtorch's default.</param>
/// <param name="Steps">Timed steps (or loss passes) per measurement.</param>
/// <param name="Warmup">Untimed steps first.</param>
/// <param name="Precisions">fp32 and/or bf16 (bf16 network, float32 master weights and loss).</param>
/// <param name="Reference">Measure the PyTorch reference too, when /usr/bin/python3 has torch.</param>
/// <param name="Layouts">Memory layouts of our step: nchw and/or channels-last (null: nchw only).</param>
public sealed record BenchSettings(int Threads, int InteropThreads, int Steps, int Warmup, IReadOnlyList<string> Precisions, bool Reference = true,
                                   IReadOnlyList<string>? Layouts = null)
{
    /// <summary>The layouts to measure, nchw when none were asked for.</summary>
    public IReadOnlyList<string> MeasuredLayouts => Layouts is { Count: > 0 } ? Layouts : ["nchw"];

    /// <summary>Applies the thread settings to this process (once, before any torch work) and returns the line that states them.</summary>
    public string Apply()
    {
        OpenMpWaitPolicy.PreferPassive();
        torch.InitializeDeviceType(DeviceType.CPU);
        // libtorch accepts the inter-op count once per process, before any parallel work (`bench all` applies the settings per part).
        if (InteropThreads > 0 && !_interopSet) torch.set_num_interop_threads(InteropThreads);
        _interopSet = true;
        torch.set_num_threads(Threads);
        return $"{MachineInfo.Describe()}, interop threads {(InteropThreads > 0 ? InteropThreads : "default")}, " +
               $"{OpenMpWaitPolicy.Variable}={Environment.GetEnvironmentVariable(OpenMpWaitPolicy.Variable) ?? "unset"} (ours and the reference's)";
    }

    private static bool _interopSet;

    /// <summary>
    /// The reference folder when the reference should and can run, else null (and says why on
    /// <paramref name="output"/>). Prints which BLAS the reference's torch loaded and its matmul figure
    /// beside ours (<paramref name="ourMatmulGflops"/>), so a fraction of peak names its peak; refuses
    /// a reference on netlib's BLAS.
    /// </summary>
    public string? ReferenceFolder(TextWriter output, double ourMatmulGflops)
    {
        if (!Reference) return null;
        var folder = ReferenceBenchmark.FindFolder();
        if (folder is null || !ReferenceBenchmark.TorchAvailable())
        {
            output.WriteLine($"reference: skipped (needs ../shared/reference and /usr/bin/python3 with torch: apt-get install {ReferencePackages})");
            return null;
        }
        var blas = ReferenceBenchmark.Blas(folder, Threads);
        output.WriteLine($"BLAS: ours libtorch {ourMatmulGflops:F1} GFLOP/s, reference {blas.MatmulGflops:F1} GFLOP/s ({blas.Libraries}), torch.mm 2048² fp32");
        if (!blas.IsNetlib) return folder;
        output.WriteLine($"reference: refused: its torch runs on netlib's reference BLAS, whose matmuls are about 8× slower than OpenBLAS's, " +
                         $"so every ratio would be inflated (apt-get install libopenblas0-openmp)");
        return null;
    }

    /// <summary>The Debian packages the reference needs: torch on OpenBLAS (netlib's default BLAS would inflate every ratio).</summary>
    public const string ReferencePackages = "python3-torch python3-torchvision python3-pil libopenblas0-openmp";

    /// <summary>Checks the precision names; a clear error otherwise.</summary>
    public BenchSettings Validated()
    {
        var unknown = Precisions.Where(p => p is not ("fp32" or "bf16")).ToList();
        if (unknown.Count > 0 || Precisions.Count == 0) throw new ArgumentException($"--precision takes fp32 and/or bf16, not '{string.Join(" ", unknown)}'.");
        var badLayouts = MeasuredLayouts.Where(l => l is not ("nchw" or "channels-last")).ToList();
        if (badLayouts.Count > 0) throw new ArgumentException($"--layout takes nchw and/or channels-last, not '{string.Join(" ", badLayouts)}'.");
        if (Threads < 1 || Steps < 1 || Warmup < 0) throw new ArgumentException("--threads and --steps must be at least 1, --warmup at least 0.");
        return this;
    }
}
