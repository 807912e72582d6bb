namespace BarlowTwins.Bench;

/// <summary>Runs <c>barlow bench step</c>: ours at each precision, the reference, ratio and fraction of matmul peak.</summary>
public static class StepBenchReport
{
    /// <summary>Measures every shape in <paramref name="shapes"/>; the matmul peak is measured once, here, first.</summary>
    public static int Run(IReadOnlyList<StepShape> shapes, BenchSettings settings, TextWriter output) =>
        ForEachShape(shapes, settings, output, Measure);

    /// <summary>
    /// The frame of a per-shape report: thread settings, the matmul peak measured once first, the
    /// reference folder (null when it cannot run), <paramref name="measure"/> per shape, then
    /// <paramref name="then"/> with the peak, the final load.
    /// </summary>
    internal static int ForEachShape(IReadOnlyList<StepShape> shapes, BenchSettings settings, TextWriter output,
                                     Action<StepShape, BenchSettings, double, string?, TextWriter> measure, Action<double>? then = null)
    {
        output.WriteLine(settings.Validated().Apply());
        double peak = MachineInfo.MatmulGflops();
        output.WriteLine($"matmul peak (ours, torch.mm 2048² fp32): {peak:F1} GFLOP/s");
        var folder = settings.ReferenceFolder(output, peak);
        foreach (var shape in shapes) measure(shape, settings, peak, folder, output);
        then?.Invoke(peak);
        output.WriteLine($"load average at the end: {MachineInfo.LoadAverage():F2}");
        return 0;
    }

    private static void Measure(StepShape shape, BenchSettings settings, double peak, string? folder, TextWriter output)
    {
        double flop = ModelFlops.Step(shape);
        output.WriteLine($"== step {shape.Name}: {shape}, {flop / 1e9:F1} GFLOP per step (analytic), load average {MachineInfo.LoadAverage():F2}");
        var ours = new Dictionary<string, double>();
        foreach (var precision in settings.Precisions)
            foreach (var layout in settings.MeasuredLayouts)
            {
                // Named by precision alone when one layout is measured, so the printed lines stay as before.
                var name = settings.MeasuredLayouts.Count == 1 ? precision : $"{precision} {layout}";
                var times = StepBenchmark.Measure(shape, precision == "bf16", layout == "channels-last", settings.Steps, settings.Warmup,
                                                  line => output.WriteLine($"  ours {name} | {line}"));
                ours[name] = times.ImagesPerSecond;
                output.WriteLine($"ours {name}: {times.ImagesPerSecond:F2} images/s ({times.Seconds.Average():F3} s/step), " +
                                 $"fraction of matmul peak: {FractionOfPeak(flop, shape.Batch, times.ImagesPerSecond, peak):F2}");
            }
        var best = ours.MaxBy(kv => kv.Value);
        if (folder is null) return;
        var reference = ReferenceBenchmark.Step(folder, shape, settings.Steps, settings.Warmup, settings.Threads, output);
        // One peak for both sides: the reference's own torch.mm figure (printed above) swings with the load at its start.
        output.WriteLine($"reference: {reference:F2} images/s ({shape.Batch / reference:F3} s/step), " +
                         $"fraction of matmul peak: {FractionOfPeak(flop, shape.Batch, reference, peak):F2}");
        foreach (var (precision, imagesPerSecond) in ours)
            output.WriteLine($"ratio {precision}: {imagesPerSecond / reference:F2}");
        output.WriteLine($"ratio: {best.Value / reference:F2} ({best.Key})");
    }

    private static double FractionOfPeak(double flopPerStep, int batch, double imagesPerSecond, double peakGflops) =>
        flopPerStep * imagesPerSecond / batch / (peakGflops * 1e9);
}
