namespace BarlowTwins.Bench;

/// <summary>Runs <c>barlow bench loss</c>: forward + backward at N × D, ours (as trained, blocked, plain autograd) against btref.bt_loss.</summary>
public static class LossBenchReport
{
    /// <summary>Measures the loss at <paramref name="n"/> × <paramref name="d"/>; prints time, fraction of the FLOP bound and <c>ratio: X</c>.</summary>
    public static int Run(long n, long d, BenchSettings settings, TextWriter output)
    {
        output.WriteLine(settings.Validated().Apply());
        double peak = MachineInfo.MatmulGflops();
        double flop = ModelFlops.Loss(n, d), bound = flop / (peak * 1e9);
        output.WriteLine($"== loss N={n} D={d}: {flop / 1e9:F1} GFLOP per forward + backward (6·N·D²); " +
                         $"at the matmul peak {peak:F1} GFLOP/s that is {bound:F3} s (the FLOP bound)");
        var seconds = new Dictionary<LossPath, double>();
        foreach (var path in new[] { LossPath.Forward, LossPath.Blocked, LossPath.Plain })
        {
            seconds[path] = LossBenchmark.Measure(path, n, d, settings.Steps);
            output.WriteLine($"ours {path.ToString().ToLowerInvariant()}: {seconds[path]:F3} s = {seconds[path] / bound:F2}× the FLOP bound " +
                             $"(fraction of matmul peak {bound / seconds[path]:F2})");
        }
        output.WriteLine($"forward vs blocked: {seconds[LossPath.Blocked] / seconds[LossPath.Forward]:F2}× faster; blocked vs plain autograd: {seconds[LossPath.Plain] / seconds[LossPath.Blocked]:F2}× faster");
        var folder = settings.ReferenceFolder(output, peak);
        if (folder is not null)
        {
            var reference = ReferenceBenchmark.Loss(folder, n, d, settings.Steps, settings.Threads, output);
            double referenceSeconds = 1 / reference;
            output.WriteLine($"reference bt_loss: {referenceSeconds:F3} s = {referenceSeconds / bound:F2}× the FLOP bound");
            output.WriteLine($"ratio: {referenceSeconds / seconds[LossPath.Forward]:F2}");
        }
        output.WriteLine($"load average at the end: {MachineInfo.LoadAverage():F2}");
        return 0;
    }
}
