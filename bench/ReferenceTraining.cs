namespace BarlowTwins.Bench;

public static partial class ReferenceBenchmark
{
    /// <summary>images/s of bench_step.py on <paramref name="shape"/> with <paramref name="threads"/> torch threads; its lines go to <paramref name="log"/>.</summary>
    public static double Step(string folder, StepShape shape, int steps, int warmup, int threads, TextWriter log)
    {
        List<string> arguments =
        [
            Path.Combine(folder, "bench_step.py"), "--backbone", shape.Backbone, "--size", $"{shape.Size}",
            "--batch", $"{shape.Batch}", "--projector", shape.Projector, "--steps", $"{steps}", "--warmup", $"{warmup}",
            "--threads", $"{threads}",
        ];
        if (shape.CifarStem) arguments.Add("--cifar-stem");
        var text = RunLogged("bench_step.py", arguments, log);
        return Number(ImagesPerSecondLine(), text);
    }

    /// <summary>
    /// Times btref.bt_loss forward + backward on random N × D float32 embeddings (the same
    /// repetitions after one warm-up) and returns passes per second.
    /// </summary>
    public static double Loss(string folder, long n, long d, int repetitions, int threads, TextWriter log)
    {
        string script = $$"""
            import sys, time, torch
            sys.path.insert(0, {{PythonString(folder)}})
            import btref, bench_step
            torch.set_num_threads({{threads}})
            torch.manual_seed(0)
            g, _ = bench_step.mm_gflops()
            print(f"torch.mm 2048x2048 fp32: {g:.1f} GFLOP/s")
            z1 = torch.randn({{n}}, {{d}}, requires_grad=True)
            z2 = torch.randn({{n}}, {{d}}, requires_grad=True)
            total = 0.0
            for i in range({{repetitions}} + 1):
                t = time.perf_counter()
                btref.bt_loss(z1, z2)[0].backward()
                if i > 0: total += time.perf_counter() - t
                z1.grad = None; z2.grad = None
            print(f"bt_loss N={{n}} D={{d}} forward+backward: {total / {{repetitions}}:.4f} s")
            print(f"images/s: {{{repetitions}} / total:.4f}")
            """;
        var text = RunLogged("bt_loss", ["-c", script], log);
        return Number(ImagesPerSecondLine(), text);
    }

    private static string RunLogged(string what, IEnumerable<string> arguments, TextWriter log)
    {
        if (Run(arguments, out var text) != 0) throw new InvalidOperationException($"reference {what} failed:\n{text}");
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries)) log.WriteLine($"  reference | {line}");
        return text;
    }

    private static string PythonString(string value) => "r'" + value.Replace("'", "\\'") + "'";
}
