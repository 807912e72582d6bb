using BarlowTwins.Augment;
using BarlowTwins.Data;

namespace BarlowTwins.Bench;

/// <summary>Runs <c>barlow bench augment</c> end to end and prints its figures.</summary>
public static class AugmentReport
{
    /// <summary>Measures ours at every thread count, then the reference when available; prints <c>ratio: X</c> (ours per core / reference per core).</summary>
    public static int Run(AugmentBenchmarkOptions options, TextWriter output)
    {
        JpegFiles.EnsureExist(options.Files);
        TwoViewRecipe.Preset(options.Preset); // an unknown preset is refused before the first measurement, not inside it
        output.WriteLine($"two-view augmentation, preset {options.Preset}, {options.Images} images, batch {options.Batch}, " +
                         $"files: {string.Join(", ", options.Files.Select(Path.GetFileName))}");
        output.WriteLine($"decode only ({(TurboJpeg.Available ? "libjpeg-turbo" : "SkiaSharp")}, 1 thread): {AugmentBenchmark.MeasureDecode(options):F1} images/s");
        var stages = AugmentStages.Measure(options);
        output.WriteLine($"stages, CPU ms per image (both views), 1 thread, load average {MachineInfo.LoadAverage():F2}: " +
                         string.Join(", ", stages.Select(s => $"{s.Stage} {s.Milliseconds:F2}")) + $"; total {stages.Sum(s => s.Milliseconds):F2}");
        var ours = options.Threads.Select(threads =>
        {
            var measurement = AugmentBenchmark.Measure(options, threads);
            output.WriteLine($"ours, {threads} thread(s): {measurement.ImagesPerSecond:F1} images/s ({measurement.PerCore:F1} per core), " +
                             $"{measurement.ImagesPerCpuSecond:F1} per CPU-second");
            return measurement;
        }).ToList();

        var folder = ReferenceBenchmark.FindFolder();
        if (folder is null || !ReferenceBenchmark.TorchAvailable())
        {
            output.WriteLine($"reference: skipped (needs ../shared/reference and /usr/bin/python3 with torch: apt-get install {BenchSettings.ReferencePackages})");
            return 0;
        }
        int workers = ours.Max(m => m.Threads);
        var reference = ReferenceBenchmark.Augment(folder, options.Images, workers, options.Batch, options.Files, output);
        output.WriteLine($"reference (PIL + torchvision): {reference.SingleProcess:F1} images/s in one process, " +
                         $"{reference.WithWorkers:F1} with {workers} workers ({reference.PerCore:F1} per core)");
        var oursBest = ours.MaxBy(m => m.PerCore)!;
        output.WriteLine($"wall-clock ratio, best per core: {oursBest.PerCore / Math.Max(reference.PerCore, reference.SingleProcess):F2} " +
                         $"({workers} threads vs {workers} workers: {ours.First(m => m.Threads == workers).ImagesPerSecond / reference.WithWorkers:F2})");
        // Wall-clock figures swing by 2× on a shared machine; CPU time per image does not, so the
        // headline ratio compares images per CPU-second, one thread each (per core by construction).
        double referenceCpu = ReferenceBenchmark.AugmentPerCpuSecond(folder, options.Images, options.Files);
        double oursCpu = ours.First().ImagesPerCpuSecond;
        output.WriteLine($"per CPU-second, one thread: ours {oursCpu:F1}, reference {referenceCpu:F1} images");
        output.WriteLine($"ratio: {oursCpu / referenceCpu:F2}");
        return 0;
    }
}
