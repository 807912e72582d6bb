using System.Text.RegularExpressions;

namespace BarlowTwins.Bench;

/// <summary>The BLAS the reference's torch has loaded, and its 2048² float32 torch.mm figure.</summary>
/// <param name="Libraries">Paths of the BLAS-like libraries mapped into the reference process (after the matmul), ';'-separated, or "none".</param>
/// <param name="MatmulGflops">GFLOP/s of torch.mm 2048² float32 in the reference process.</param>
public sealed record ReferenceBlas(string Libraries, double MatmulGflops)
{
    /// <summary>
    /// netlib's reference BLAS (Debian's default <c>libblas3</c>, resolved to …/blas/libblas.so.3 through
    /// the alternatives): its matmuls run several times slower than OpenBLAS's (docs/performance.md has
    /// the figure), so a ratio against it says nothing about our code.
    /// </summary>
    public bool IsNetlib =>
        Libraries.Split(';').Any(l => l.Contains("/blas/libblas.so", StringComparison.Ordinal)) && !Libraries.Contains("openblas", StringComparison.OrdinalIgnoreCase);
}

public static partial class ReferenceBenchmark
{
    /// <summary>Which BLAS the reference's torch loads, and its matmul figure with <paramref name="threads"/> threads.</summary>
    public static ReferenceBlas Blas(string folder, int threads)
    {
        string script = $$"""
            import sys, torch
            sys.path.insert(0, {{PythonString(folder)}})
            import bench_step
            torch.set_num_threads({{threads}})
            g, _ = bench_step.mm_gflops()
            keys = ('blas', 'mkl', 'blis', 'atlas', 'lapack')
            paths = sorted({l.split()[-1] for l in open('/proc/self/maps') if len(l.split()) >= 6 and any(k in l.split()[-1].lower() for k in keys)})
            print('blas: ' + (';'.join(paths) or 'none'))
            print(f'mm gflops: {g:.1f}')
            """;
        if (Run(["-c", script], out var text) != 0) throw new InvalidOperationException($"reference BLAS probe failed:\n{text}");
        var libraries = BlasLine().Match(text);
        return new ReferenceBlas(libraries.Success ? libraries.Groups[1].Value.Trim() : "none", Number(GflopsLine(), text));
    }

    [GeneratedRegex(@"^blas:\s*(.+)$", RegexOptions.Multiline)]
    private static partial Regex BlasLine();

    [GeneratedRegex(@"mm gflops:\s*([0-9.]+)")]
    private static partial Regex GflopsLine();
}
