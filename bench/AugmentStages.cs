using BarlowTwins.Augment;
using BarlowTwins.Data;
using TorchSharp;

namespace BarlowTwins.Bench;

/// <summary>
/// Where the time of one image goes: the two-view pipeline run on one thread with a
/// <see cref="StageClock"/>, decode included, in ms per image (both views summed). Flip costs
/// nothing of its own: it reverses the column weights of the resize.
/// </summary>
public static class AugmentStages
{
    /// <summary>CPU milliseconds per image for each stage, in order of first appearance, after one warm-up batch.</summary>
    public static IReadOnlyList<(string Stage, double Milliseconds)> Measure(AugmentBenchmarkOptions options)
    {
        torch.InitializeDeviceType(DeviceType.CPU);
        torch.set_num_threads(1);
        var transform = new TwoViewTransform(TwoViewRecipe.Preset(options.Preset), parallelism: 1);
        int batches = Math.Max(1, options.Images / options.Batch);
        RunBatch(transform, options, 0, new StageClock(ThreadCpuTime.Seconds));
        var clock = new StageClock(ThreadCpuTime.Seconds);
        for (int b = 0; b < batches; b++) RunBatch(transform, options, b, clock);
        return [.. clock.Totals.Select(t => (t.Stage, 1000 * t.Seconds / (batches * options.Batch)))];
    }

    private static void RunBatch(TwoViewTransform transform, AugmentBenchmarkOptions options, int batch, StageClock clock)
    {
        clock.Restart();
        var images = new ImageSample[options.Batch];
        for (int i = 0; i < images.Length; i++)
            images[i] = ImageDecoder.Decode(options.Files[(batch * options.Batch + i) % options.Files.Count]);
        clock.Lap("decode");
        using var views = transform.Apply(images, batch, 0, clock);
    }
}
