namespace BarlowTwins.Bench;

/// <summary>
/// Runs <c>barlow bench ceiling</c>: the convolutions of each shape timed alone (<see cref="ConvCeiling"/>),
/// the other parts of the step timed alone (<see cref="StepParts"/>), our whole step and the
/// reference's, and so the highest ratio over the reference that any step calling this machine's
/// convolution kernels could show; and for feature extraction the same forward alone
/// (<see cref="ForwardCeilingReport"/>).
/// </summary>
public static class CeilingReport
{
    /// <summary>
    /// Measures every step shape in <paramref name="shapes"/> in float32, then every forward shape in
    /// <paramref name="forward"/> in each precision of <paramref name="settings"/> (the reference runs only for step shapes).
    /// </summary>
    public static int Run(IReadOnlyList<StepShape> shapes, IReadOnlyList<ForwardShape> forward, BenchSettings settings, TextWriter output) =>
        StepBenchReport.ForEachShape(shapes, settings with { Reference = settings.Reference && shapes.Count > 0 }, output, Measure,
                                     peak =>
                                     {
                                         foreach (var shape in forward) ForwardCeilingReport.Measure(shape, settings, peak, output);
                                     });

    private static void Measure(StepShape shape, BenchSettings settings, double peak, string? folder, TextWriter output)
    {
        output.WriteLine($"== ceiling {shape.Name}: {shape}, float32, load average {MachineInfo.LoadAverage():F2}");
        var convolutions = ConvCeiling.Measure(shape, settings.Steps, settings.Warmup);
        foreach (var t in convolutions)
            output.WriteLine($"  conv {t.Layer,-28} × {t.Count}: {t.Seconds * 1e3,8:F1} ms forward + backward, " +
                             $"{t.Gflops,6:F1} GFLOP/s = {t.Gflops / peak:F2} of peak");
        double convSeconds = ConvCeiling.StepSeconds(convolutions);
        double convFlop = 2 * convolutions.Sum(t => t.Count * 6 * t.Layer.Macs * t.Batch);
        output.WriteLine($"convolutions of one step (both views): {convSeconds:F3} s, {convFlop / convSeconds / 1e9:F1} GFLOP/s = " +
                         $"{convFlop / convSeconds / 1e9 / peak:F2} of peak; a step on these kernels runs at most {shape.Batch / convSeconds:F2} images/s");
        var parts = StepParts.Measure(shape, settings.Steps, settings.Warmup);
        var ours = StepBenchmark.Measure(shape, bf16: false, channelsLast: false, settings.Steps, settings.Warmup, _ => { });
        double ourSeconds = ours.Seconds.Average();
        output.WriteLine($"ours: {ours.ImagesPerSecond:F2} images/s ({ourSeconds:F3} s/step); convolutions are {convSeconds / ourSeconds:P0} of it");
        foreach (var part in parts)
            output.WriteLine($"  {part.Name,-52} {part.Seconds * 1e3,8:F1} ms = {part.Seconds / ourSeconds:P1} of the step");
        // The second batch-norm line includes the first; each other part is counted once.
        double outside = parts.Skip(1).Sum(p => p.Seconds);
        output.WriteLine($"  {"the rest (pooling, residual adds, autograd, allocation)",-52} {(ourSeconds - convSeconds - outside) * 1e3,8:F1} ms");
        if (folder is null) return;
        double reference = ReferenceBenchmark.Step(folder, shape, settings.Steps, settings.Warmup, settings.Threads, output);
        output.WriteLine($"reference: {reference:F2} images/s ({shape.Batch / reference:F3} s/step)");
        output.WriteLine($"ratio: {ours.ImagesPerSecond / reference:F2}; ceiling ratio (convolutions alone vs the reference's whole step): " +
                         $"{shape.Batch / convSeconds / reference:F2}");
    }
}
