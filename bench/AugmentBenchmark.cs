using System.Diagnostics;
using BarlowTwins.Augment;
using BarlowTwins.Data;
using TorchSharp;

namespace BarlowTwins.Bench;

/// <summary>Settings of <c>barlow bench augment</c>.</summary>
/// <param name="Images">Images per measurement (each one decoded and turned into two views).</param>
/// <param name="Batch">Images per batch.</param>
/// <param name="Threads">Thread counts to measure.</param>
/// <param name="Files">JPEGs, cycled.</param>
/// <param name="Preset">Augmentation preset.</param>
public sealed record AugmentBenchmarkOptions(int Images, int Batch, IReadOnlyList<int> Threads, IReadOnlyList<string> Files, string Preset);

/// <summary>One measured configuration.</summary>
/// <param name="Threads">Worker threads, each turning whole batches into views like the loader's workers.</param>
/// <param name="ImagesPerSecond">Images (decode + both views) per second, after a warm-up batch per thread.</param>
/// <param name="ImagesPerCpuSecond">Images per second of this process's CPU time (robust to other processes on the machine).</param>
public sealed record AugmentMeasurement(int Threads, double ImagesPerSecond, double ImagesPerCpuSecond)
{
    /// <summary>Images per second per thread.</summary>
    public double PerCore => ImagesPerSecond / Threads;
}

/// <summary>
/// Throughput of the two-view pipeline as the loader runs it: each of k worker threads takes
/// batches of file paths, decodes them (<see cref="ImageDecoder"/>, SkiaSharp) and calls <see cref="TwoViewTransform.Apply"/>
/// with one geometry thread and one tensor thread, so k workers use k cores.
/// </summary>
public static class AugmentBenchmark
{
    /// <summary>Decode-only throughput on one thread, images/s.</summary>
    public static double MeasureDecode(AugmentBenchmarkOptions options)
    {
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < options.Images; i++) ImageDecoder.Decode(options.Files[i % options.Files.Count]);
        return options.Images / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Measures the two-view pipeline with <paramref name="threads"/> workers.</summary>
    public static AugmentMeasurement Measure(AugmentBenchmarkOptions options, int threads)
    {
        torch.InitializeDeviceType(DeviceType.CPU);
        torch.set_num_threads(1);
        var transform = new TwoViewTransform(TwoViewRecipe.Preset(options.Preset), parallelism: 1);
        int batches = Math.Max(threads, (options.Images + options.Batch - 1) / options.Batch);
        for (int t = 0; t < threads; t++) RunBatch(transform, options, t); // warm-up: JIT, pools, libtorch
        int next = 0, done = 0;
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
        {
            int b;
            while ((b = Interlocked.Increment(ref next) - 1) < batches) Interlocked.Add(ref done, RunBatch(transform, options, b));
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        double wall = clock.Elapsed.TotalSeconds;
        process.Refresh();
        return new AugmentMeasurement(threads, done / wall, done / (process.TotalProcessorTime - cpuBefore).TotalSeconds);
    }

    private static int RunBatch(TwoViewTransform transform, AugmentBenchmarkOptions options, int batch)
    {
        var images = new ImageSample[options.Batch];
        for (int i = 0; i < images.Length; i++)
            images[i] = ImageDecoder.Decode(options.Files[(batch * options.Batch + i) % options.Files.Count]);
        using var views = transform.Apply(images, seed: batch);
        return images.Length;
    }
}
