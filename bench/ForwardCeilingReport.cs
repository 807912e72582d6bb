using System.Diagnostics;
using BarlowTwins.Augment;
using BarlowTwins.Data;
using BarlowTwins.Evaluation;
using BarlowTwins.Models;
using BarlowTwins.Training.Precision;
using static TorchSharp.torch;

namespace BarlowTwins.Bench;

/// <summary>
/// The forward-only part of <c>barlow bench ceiling</c>: each convolution of an evaluation
/// network timed alone forward (inference mode) in each precision, their sum per batch (the
/// ceiling any feature extraction on these kernels can reach), and against it our
/// <see cref="FeatureNetwork"/>'s forward on a ready batch and the whole
/// <see cref="FeatureExtractor"/> (loader, decoding and transform included).
/// </summary>
public static class ForwardCeilingReport
{
    // Batches a whole extraction reads: enough for the loader's overlap to settle.
    private const int ExtractionBatches = 8;

    /// <summary>Measures <paramref name="shape"/> in every precision of <paramref name="settings"/>.</summary>
    public static void Measure(ForwardShape shape, BenchSettings settings, double peak, TextWriter output)
    {
        output.WriteLine($"== forward ceiling {shape.Name}: {shape}, load average {MachineInfo.LoadAverage():F2}");
        foreach (var precision in settings.Precisions)
        {
            var convolutions = ConvCeiling.MeasureForward(shape, Precisions.DType(precision), settings.Steps, settings.Warmup);
            foreach (var t in convolutions)
                output.WriteLine($"  {precision} conv {t.Layer,-28} × {t.Count}: {t.Seconds * 1e3,8:F1} ms forward, {t.Gflops,6:F1} GFLOP/s");
            double convSeconds = ConvCeiling.ForwardSeconds(convolutions);
            double ceiling = shape.Batch / convSeconds, flop = convolutions.Sum(t => t.Count * t.Flop);
            output.WriteLine($"{precision} convolutions of one forward pass: {convSeconds:F3} s, {flop / convSeconds / 1e9:F1} GFLOP/s " +
                             $"(fp32 matmul peak {peak:F1}); ceiling {ceiling:F1} images/s");
            double forward = ForwardImagesPerSecond(shape, precision, settings);
            output.WriteLine($"{precision} ours, forward of a ready batch: {forward:F1} images/s = {forward / ceiling:P0} of the ceiling");
            double extraction = ExtractionImagesPerSecond(shape, precision, settings.Steps);
            output.WriteLine($"{precision} ours, feature extraction (loader, transform, forward): {extraction:F1} images/s = {extraction / ceiling:P0} of the ceiling");
        }
    }

    private static double ForwardImagesPerSecond(ForwardShape shape, string precision, BenchSettings settings)
    {
        using var backbone = new ResNet(shape.Options);
        using var network = new FeatureNetwork(backbone, precision);
        using var images = randn(shape.Batch, shape.Channels, shape.Size, shape.Size);
        for (int i = 0; i < settings.Warmup; i++) network.Forward(images).Dispose();
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < settings.Steps; i++) network.Forward(images).Dispose();
        return settings.Steps * shape.Batch / clock.Elapsed.TotalSeconds;
    }

    // Synthetic images (drawn on the fly, as a decoder would deliver them) through the
    // fashion-mnist eval transform; the first extraction warms up.
    private static double ExtractionImagesPerSecond(ForwardShape shape, string precision, int repetitions)
    {
        var source = new SyntheticSource(ExtractionBatches * shape.Batch, shape.Size, shape.Channels);
        var transform = EvalTransform.For(TwoViewRecipe.Preset("fashion-mnist") with { Size = shape.Size });
        using var backbone = new ResNet(shape.Options);
        using var network = new FeatureNetwork(backbone, precision);
        FeatureExtractor.Extract(network, source, transform, CPU, shape.Batch).Dispose();
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < repetitions; i++) FeatureExtractor.Extract(network, source, transform, CPU, shape.Batch).Dispose();
        return repetitions * source.Count / clock.Elapsed.TotalSeconds;
    }
}
