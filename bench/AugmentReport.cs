namespace BarlowTwins.Bench;

/// <summary>Runs <c>barlow bench augment</c> end to end and prints its figures.</summary>
public static class AugmentReport
{
    /// <summary>Measures ours at every thread count, then the reference when available; prints <c>ratio: X</c> (ours per core / reference per core).</summary>
    public static int Run(AugmentBenchmarkOptions options, TextWriter output)
    {
        JpegFiles.EnsureExist(options.Files);
        output.WriteLine($"two-view augmentation, preset {options.Preset}, {options.Images} images, batch {options.Batch}, " +
                         $"files: {string.Join(", ", options.Files.Select(Path.GetFileName))}");
        output.WriteLine($"decode only (SkiaSharp, 1 thread): {AugmentBenchmark.MeasureDecode(options):F1} images/s");
        var ours = options.Threads.Select(threads =>
        {
            var measurement = AugmentBenchmark.Measure(options, threads);
            output.WriteLine($"ours, {threads} thread(s): {measurement.ImagesPerSecond:F1} images/s ({measurement.PerCore:F1} per core)");
            return measurement;
        }).ToList();

        var folder = ReferenceBenchmark.FindFolder();
        if (folder is null || !ReferenceBenchmark.TorchAvailable())
        {
            output.WriteLine("reference: skipped (needs ../shared/reference and /usr/bin/python3 with torch: apt-get install python3-torch python3-torchvision python3-pil)");
            return 0;
        }
        int workers = ours.Max(m => m.Threads);
        var reference = ReferenceBenchmark.Augment(folder, options.Images, workers, options.Batch, options.Files, output);
        output.WriteLine($"reference (PIL + torchvision): {reference.SingleProcess:F1} images/s in one process, " +
                         $"{reference.WithWorkers:F1} with {workers} workers ({reference.PerCore:F1} per core)");
        var oursBest = ours.MaxBy(m => m.PerCore)!;
        var oursSingle = ours.FirstOrDefault(m => m.Threads == 1);
        if (oursSingle is not null) output.WriteLine($"ratio 1 thread vs one process: {oursSingle.ImagesPerSecond / reference.SingleProcess:F2}");
        var oursMatching = ours.First(m => m.Threads == workers);
        output.WriteLine($"ratio {workers} threads vs {workers} workers: {oursMatching.ImagesPerSecond / reference.WithWorkers:F2}");
        output.WriteLine($"ratio: {oursBest.PerCore / Math.Max(reference.PerCore, reference.SingleProcess):F2}");
        return 0;
    }
}
