using System.Diagnostics;
using BarlowTwins.Optim;
using BarlowTwins.Training.Options;
using BarlowTwins.Training.Precision;
using static TorchSharp.torch;

namespace BarlowTwins.Training;

/// <summary>
/// What <see cref="Precisions.Auto"/> does: times the same work in float32 and in bfloat16 on this
/// machine and takes the faster. Each precision runs once untimed (allocator, kernel selection),
/// then <see cref="TimedRounds"/> rounds alternate fp32 and bf16 so a load spike on a shared
/// machine hits both; each precision's best round counts. bf16 costs precision, so it must be at
/// least <see cref="BFloat16Margin"/> times as fast to be chosen: a tie goes to fp32. Pre-training
/// (<see cref="ForTraining"/>) and feature extraction (<c>Evaluation.FeatureNetwork.Open</c>)
/// both choose through <see cref="Choose"/>, each on its own work.
/// </summary>
public static class PrecisionProbe
{
    /// <summary>Timed runs of each precision, after one warm-up each.</summary>
    public const int TimedRounds = 2;

    /// <summary>How much faster bf16 must be to be chosen.</summary>
    public const double BFloat16Margin = 1.1;

    // Pixels of every view of an image × width², times the images: the fashion-mnist preset's step
    // (128 images, two 28 px views, width 32) rounded up to 32 px. Runs up to that cost are timed on
    // their own batch (a few seconds in all), larger ones on fewer images of their own shape.
    private const long CostBudget = 128L * 2 * 32 * 32 * 32 * 32;

    /// <summary>Times <paramref name="float32"/> and <paramref name="bfloat16"/> (the same work in each precision) and chooses.</summary>
    /// <param name="float32">One run of the work in float32.</param>
    /// <param name="bfloat16">The same work in bfloat16.</param>
    /// <param name="images">Images each run processes, for the report.</param>
    public static PrecisionChoice Choose(Action float32, Action bfloat16, int images)
    {
        var total = Stopwatch.StartNew();
        float32();
        bfloat16();
        double fp32 = double.PositiveInfinity, bf16 = double.PositiveInfinity;
        for (int round = 0; round < TimedRounds; round++)
        {
            fp32 = Math.Min(fp32, Time(float32));
            bf16 = Math.Min(bf16, Time(bfloat16));
        }
        return new PrecisionChoice(Faster(fp32, bf16), PrecisionChoice.MeasuredHow, fp32, bf16, images, total.Elapsed.TotalSeconds);
    }

    /// <summary>The precision chosen for these timings: bf16 only when at least <see cref="BFloat16Margin"/> times as fast.</summary>
    public static string Faster(double float32Seconds, double bfloat16Seconds) =>
        float32Seconds >= BFloat16Margin * bfloat16Seconds ? Precisions.BFloat16 : Precisions.Float32;

    private static double Time(Action run)
    {
        var clock = Stopwatch.StartNew();
        run();
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Images of <paramref name="options"/>' shape a probe step takes: the run's batch, or fewer
    /// (at least 2, for batch-norm) where a step of it would cost more than the fashion-mnist preset's.
    /// </summary>
    public static int ProbeImages(PretrainOptions options, int batch)
    {
        long pixels = 2L * options.ImageSize * options.ImageSize + (long)options.LocalCrops * options.LocalSize * options.LocalSize;
        long perImage = pixels * options.Width * options.Width;
        return (int)Math.Clamp(CostBudget / Math.Max(1, perImage), 2, Math.Max(2, batch));
    }

    /// <summary>
    /// Chooses the precision of a pre-training run of <paramref name="options"/> with
    /// <paramref name="batch"/> images per step: full training steps (twin, loss, backward,
    /// optimizer, micro-batches, layout and multi-crop views as asked) on random views, in networks of their own.
    /// The caller's networks, optimizer and torch's generator are not touched, so the run is the
    /// run it would be with the chosen precision given by name (the caller seeds torch afterwards).
    /// </summary>
    public static PrecisionChoice ForTraining(PretrainOptions options, int batch)
    {
        var device = TorchSharp.torch.device(options.Device);
        // At --image-size even with --progressive: the early small steps are the cheap ones, and the
        // full-size steps after the switch are where the choice costs most (bf16's gain grows with size).
        int images = ProbeImages(options, batch);
        Tensor View(params long[] shape) => randn(shape, device: device);
        using var views = new Augment.TwoViewBatch(View(images, options.Channels, options.ImageSize, options.ImageSize),
                                                   View(images, options.Channels, options.ImageSize, options.ImageSize),
                                                   zeros(images, ScalarType.Int64),
                                                   options.LocalCrops == 0 ? null
                                                       : View(options.LocalCrops, images, options.Channels, options.LocalSize, options.LocalSize));
        using var float32 = new ProbeStep(options, device, bf16: false);
        using var bfloat16 = new ProbeStep(options, device, bf16: true);
        return Choose(() => float32.Run(views), () => bfloat16.Run(views), images);
    }

    /// <summary>A training step of its own: twin, optimizer and, for bf16, the shadow twin.</summary>
    private sealed class ProbeStep : IDisposable
    {
        private readonly Models.TwinNetwork _twin;
        private readonly IOptimizer _optimizer;
        private readonly PretrainingStep _step;

        public ProbeStep(PretrainOptions options, Device device, bool bf16)
        {
            _twin = options.CreateTwin(device);
            _optimizer = OptimizerKinds.Create(options, ParameterGroups.Of(_twin.parameters()));
            _step = new PretrainingStep(_twin, options.CreateLoss(), _optimizer, bf16 ? options.CreateTwin(device) : null,
                                        options.MicroBatch, channelsLast: options.ChannelsLast, viewPairing: options.ViewPairing);
            _twin.train();
        }

        // Zero learning rates: the same arithmetic as a real update, and no weight ever moves.
        public void Run(Augment.TwoViewBatch views) => _step.Run(views, (0, 0), diagnose: false);

        public void Dispose()
        {
            _step.Dispose();
            _optimizer.Dispose();
            _twin.Dispose();
        }
    }
}
