using BarlowTwins.Augment;
using BarlowTwins.Data;
using BarlowTwins.Loss;
using BarlowTwins.Models;
using BarlowTwins.Training.Precision;
using TorchSharp;

namespace BarlowTwins.Training.Options;

/// <summary>
/// Everything one pre-training run needs, as one immutable record. It is filled from a preset
/// (<see cref="PretrainPresets"/>), then a JSON file, then command-line flags, and written to
/// OUT/config.json next to the checkpoints. JSON keys are the flag names (kebab-case).
/// Defaults are the paper's (ResNet-50, 8192-8192-8192, LARS, batch 2048, 1000 epochs).
/// </summary>
public sealed record PretrainOptions
{
    /// <summary>Data spec understood by the data layer, e.g. <c>fashion-mnist</c>, <c>folder:/path</c>, <c>synthetic</c>.</summary>
    public string Data { get; init; } = "synthetic";

    /// <summary>Augmentation preset for the two views: imagenet, cifar or fashion-mnist.</summary>
    public string Augment { get; init; } = "imagenet";

    /// <summary>Side of the square crops fed to the network, in pixels.</summary>
    public int ImageSize { get; init; } = 224;

    /// <summary>
    /// Crop-scale range of the two global views, replacing the augmentation preset's (null: the
    /// preset's, e.g. the paper's 0.08–1). An option beyond the paper.
    /// </summary>
    public Interval? CropScale { get; init; }

    /// <summary>
    /// Photometric strength M, a departure from the paper: the colour-jitter ranges (brightness,
    /// contrast, saturation, hue; hue capped at 0.5) of both global views, and so of multi-crop's
    /// small views, which take view B's ops, are M times the augmentation preset's. The idea is
    /// SimCLR's colour-distortion strength (Chen et al. 2020, Table 1 and Appendix A); here it is a
    /// lever for 28 px grey images, where jitter is brightness and contrast only. 1 (every preset)
    /// is the preset's recipe exactly; 0 switches the jitter off.
    /// </summary>
    public double JitterStrength { get; init; } = 1;

    /// <summary>
    /// Gaussian-blur probabilities of the global views A and B, replacing the augmentation
    /// preset's (null: the preset's; the paper's are 1 and 0.1, the small-image presets' 0 and 0).
    /// At 28 px the kernel is 3 × 3 (<see cref="TwoViewRecipe.BlurKernelFor"/>). An option beyond
    /// the small-image presets.
    /// </summary>
    public ViewProbabilities? Blur { get; init; }

    /// <summary>
    /// Solarization probabilities of the global views A and B, replacing the augmentation preset's
    /// (null: the preset's, the paper's 0 and 0.2). An option beyond the paper.
    /// </summary>
    public ViewProbabilities? Solarize { get; init; }

    /// <summary>
    /// Progressive resolution, a departure from the paper (null, off, in every preset): the two
    /// global views of the schedule's first steps at a smaller size (<see cref="ProgressiveResolution"/>).
    /// The switch step is fixed by the schedule's planned length, so it needs <see cref="Epochs"/>
    /// or <see cref="Steps"/>, not <see cref="Minutes"/>.
    /// </summary>
    public ProgressiveResolution? Progressive { get; init; }

    /// <summary>
    /// Multi-crop (an option beyond the paper, 0 in every preset that is the paper's method): small
    /// views per image besides the two global ones, each a random resized crop of
    /// <see cref="LocalSize"/> px with scale in <see cref="LocalScale"/> and view B's photometric ops;
    /// the loss is <see cref="MultiCropLoss"/>.
    /// </summary>
    public int LocalCrops { get; init; }

    /// <summary>Side of multi-crop's small views in pixels (SwAV's 96 at 224 px).</summary>
    public int LocalSize { get; init; } = 96;

    /// <summary>Crop-scale range of multi-crop's small views (SwAV's 0.05–0.14 at 224 px).</summary>
    public Interval LocalScale { get; init; } = new(0.05, 0.14);

    /// <summary>
    /// Which views the loss pairs (<see cref="MultiCropLoss"/>): global in every preset (each global view
    /// with every other view; the paper's two-view loss without small views) or mean (every view with
    /// its image's mean embedding, EMP-SSL's pairing, beyond the paper).
    /// </summary>
    public string ViewPairing { get; init; } = MultiCropLoss.GlobalPairing;

    /// <summary>resnet18, resnet34 or resnet50.</summary>
    public ResNetArchitecture Backbone { get; init; } = ResNetArchitecture.ResNet50;

    /// <summary>Channels of the backbone's first stage (64 in torchvision).</summary>
    public int Width { get; init; } = 64;

    /// <summary>3×3 stem without max-pool, for 28–32 px images.</summary>
    public bool CifarStem { get; init; }

    /// <summary>Stride of the CIFAR stem: 1, or 2 for a quarter of the cost at half the side (see <see cref="ResNetOptions"/>).</summary>
    public int StemStride { get; init; } = 1;

    /// <summary>
    /// Start the last batch-norm γ of every residual block at 0, so each block begins as the
    /// identity: the authors' initialisation (torchvision's <c>zero_init_residual=True</c>) and every
    /// preset's. False (an option beyond the paper) keeps torchvision's default γ = 1.
    /// </summary>
    public bool ZeroInitResidual { get; init; } = true;

    /// <summary>Input channels: 1 (grey) or 3 (RGB).</summary>
    public int Channels { get; init; } = 3;

    /// <summary>Projector widths, e.g. 8192-8192-8192.</summary>
    public ProjectorSpec Projector { get; init; } = ProjectorSpec.Paper;

    /// <summary>λ: a number, or <c>auto</c> for 1/D.</summary>
    public RedundancyWeight Lambda { get; init; } = RedundancyWeight.Paper;

    /// <summary>Weight of the invariance term: 1 is the method, 0 the redundancy-only ablation.</summary>
    public double InvarianceWeight { get; init; } = 1;

    /// <summary>lars, sgd or adamw.</summary>
    public string Optimizer { get; init; } = "lars";

    /// <summary>Base learning rate of weights, multiplied by batch/256 (paper: 0.2).</summary>
    public double WeightLr { get; init; } = 0.2;

    /// <summary>Base learning rate of biases and BN parameters, multiplied by batch/256 (paper: 0.0048).</summary>
    public double BiasLr { get; init; } = 0.0048;

    /// <summary>Weight decay of the weights (biases and BN parameters get none).</summary>
    public double WeightDecay { get; init; } = 1.5e-6;

    /// <summary>Momentum of LARS and SGD; β₁ of AdamW.</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>LARS trust coefficient η.</summary>
    public double Eta { get; init; } = 0.001;

    /// <summary>AdamW's β₂.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>Epochs of linear warm-up (capped at a tenth of the run, see <see cref="ScheduleFactory"/>).</summary>
    public double WarmupEpochs { get; init; } = 10;

    /// <summary>Images per step (each seen as two views).</summary>
    public int BatchSize { get; init; } = 2048;

    /// <summary>
    /// Images per forward pass with a graph, when fewer than <see cref="BatchSize"/> (per rank)
    /// fit in memory: the step still follows the exact gradient of the whole batch's loss
    /// (<see cref="MicroBatchStep"/>). Null: the whole batch in one pass. Training-mode batch-norm
    /// normalises each micro-batch by its own statistics.
    /// </summary>
    public int? MicroBatch { get; init; }

    /// <summary>Passes over the data; <see cref="Steps"/> or <see cref="Minutes"/>, when set, decide the length instead.</summary>
    public int Epochs { get; init; } = 1000;

    /// <summary>
    /// Length of the schedule in steps: warm-up and cosine are fitted to it (<see cref="ScheduleFactory"/>).
    /// Null: <see cref="Epochs"/> × batches per epoch. Excludes a time budget (<see cref="Minutes"/>).
    /// </summary>
    public long? Steps { get; init; }

    /// <summary>Time budget: the schedule is fitted to the steps that fit in it (measured).</summary>
    public double? Minutes { get; init; }

    /// <summary>Stop after this many steps in total; the schedule is not changed by it (see <see cref="Steps"/>).</summary>
    public long? MaxSteps { get; init; }

    /// <summary>
    /// Backbone weights to start from instead of a random initialisation (any source
    /// <see cref="Interop.BackboneWeights"/> reads); the projector starts fresh. Null: random.
    /// </summary>
    public string? InitFrom { get; init; }

    /// <summary>Seed of weights, data order and augmentations.</summary>
    public long Seed { get; init; }

    /// <summary>cpu or cuda.</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>
    /// fp32, bf16 (the network in bfloat16, float32 master weights and loss) or auto: the faster of
    /// the two on this machine, measured at the start on the run's own shapes (<see cref="PrecisionProbe"/>).
    /// A run records what it chose in OUT/config.json and its checkpoints; a resumed run keeps it.
    /// fp32 here, auto in every preset.
    /// </summary>
    public string Precision { get; init; } = Precisions.Float32;

    /// <summary>
    /// Run the convolutions in channels-last (NHWC) memory layout (<see cref="Models.ChannelsLast"/>).
    /// Same numbers to float32 rounding; faster for ResNet-50 at 224 px in bfloat16 on oneDNN CPUs,
    /// slower for small bfloat16 images (see docs/performance.md). Off by default.
    /// </summary>
    public bool ChannelsLast { get; init; }

    /// <summary>Loader threads building batches ahead of the step (0: on the training thread).</summary>
    public int Workers { get; init; } = 1;

    /// <summary>Minutes between checkpoints inside an epoch (one is also written at every epoch end).</summary>
    public double CheckpointMinutes { get; init; } = 10;

    /// <summary>Checkpoints kept on disk, newest first; older ones are fallbacks when the newest is corrupt.</summary>
    public int KeepCheckpoints { get; init; } = 2;

    /// <summary>
    /// Stop the run (<see cref="TrainingDivergedException"/>) when this many consecutive updates were
    /// skipped for a NaN/Inf loss or gradient: it has diverged, and more steps would only burn time.
    /// An isolated skipped step (a bfloat16 overflow) is harmless and counted in <c>skipped_steps</c>.
    /// </summary>
    public int MaxSkippedSteps { get; init; } = 10;

    /// <summary>Run the k-NN monitor every this many epochs (0: never).</summary>
    public int KnnEvery { get; init; }

    /// <summary>Steps between metric lines (and collapse diagnostics).</summary>
    public int LogEvery { get; init; } = 10;

    /// <summary>Output directory: config, checkpoints, metrics, plots, backbone.</summary>
    public string Out { get; init; } = "runs/pretrain";

    /// <summary>The backbone these options describe.</summary>
    public ResNetOptions BackboneOptions() =>
        new(Backbone, Channels, CifarStem, Width, ZeroInitResidual, StemStride);

    /// <summary>
    /// The views these options describe: the augmentation preset at <see cref="ImageSize"/>, with
    /// <see cref="CropScale"/>, <see cref="Blur"/>, <see cref="Solarize"/> and multi-crop's small views when set, its jitter
    /// scaled by <see cref="JitterStrength"/>.
    /// </summary>
    public TwoViewRecipe ViewRecipe()
    {
        var recipe = TwoViewRecipe.Preset(Augment).Adjusted(JitterStrength, CropScale, Blur, Solarize) with { Size = ImageSize };
        return LocalCrops == 0 ? recipe : recipe with { Locals = LocalViews.FromViewB(recipe, LocalCrops, LocalSize, LocalScale) };
    }

    /// <summary>The twin (backbone + projector) these options describe, in float32 on <paramref name="device"/>.</summary>
    public TwinNetwork CreateTwin(TorchSharp.torch.Device device) => new TwinNetwork(new ResNet(BackboneOptions()), Projector).to(device);

    /// <summary>The loss these options describe.</summary>
    public BarlowTwinsLoss CreateLoss() => new(Lambda) { InvarianceWeight = InvarianceWeight };

    /// <summary>Every problem with these options, each a sentence naming the flag and saying what to change; empty when valid.</summary>
    public IReadOnlyList<string> Problems() => Checks().Problems;

    /// <summary>Throws an <see cref="ArgumentException"/> listing every problem, if any.</summary>
    public PretrainOptions Validated()
    {
        Checks().ThrowIfAny("pre-training");
        return this;
    }

    private OptionChecks Checks() => new OptionChecks()
        .AtLeast("batch-size", BatchSize, 2, "Barlow Twins standardises over the batch")
        .AtLeast("micro-batch", MicroBatch, 2, "batch-norm needs two samples per forward pass")
        .AtLeast("epochs", Epochs, 1).AtLeast("steps", Steps, 1).Positive("minutes", Minutes)
        .Require(Steps is null || Minutes is null, "steps and minutes both set the schedule's length: give one of them.")
        .AtLeast("max-steps", MaxSteps, 1).AtLeast("image-size", ImageSize, 8).AtLeast("width", Width, 1)
        .Require(StemStride is 1 || (StemStride is 2 && CifarStem), $"stem-stride must be 1, or 2 with the CIFAR stem, not {StemStride}.")
        .AtLeast("local-crops", LocalCrops, 0)
        .AtLeast("local-size", LocalCrops == 0 ? null : LocalSize, 4) // only multi-crop uses it
        .Problem(Interval.ScaleProblem("local-scale", LocalScale)).Problem(Interval.ScaleProblem("crop-scale", CropScale))
        .NotNegative("jitter-strength", JitterStrength)
        .Problem(ViewProbabilities.Problem("blur", Blur)).Problem(ViewProbabilities.Problem("solarize", Solarize))
        .Problem(Progressive?.Problem(ImageSize))
        // A time budget's length is known only once steps are timed, and re-fitted every
        // TimeBudget.RefitSteps: the switch step would move after prefetching workers (and the
        // batches a resumed run replays) had used it.
        .Require(Progressive is null || Minutes is null,
                 "progressive needs a schedule of known length: give --steps or --epochs instead of --minutes (the switch step is fixed before the first batch).")
        .Require(Channels is 1 or 3, $"channels must be 1 or 3, not {Channels}.")
        .NotNegative("warmup-epochs", WarmupEpochs).NotNegative("invariance-weight", InvarianceWeight)
        .NotNegative("weight-lr", WeightLr).NotNegative("bias-lr", BiasLr).NotNegative("weight-decay", WeightDecay)
        .Momentum("momentum", Momentum).Momentum("beta2", Beta2).Positive("eta", Eta).Positive("checkpoint-minutes", CheckpointMinutes)
        .Require(!string.IsNullOrWhiteSpace(Out), "out must name a run folder, not be empty.")
        .AtLeast("keep-checkpoints", KeepCheckpoints, 1).AtLeast("max-skipped-steps", MaxSkippedSteps, 1)
        .AtLeast("workers", Workers, 0).AtLeast("log-every", LogEvery, 1)
        .OneOf("precision", Precision, Precisions.Names).OneOf("optimizer", Optimizer, OptimizerKinds.Names)
        .OneOf("view-pairing", ViewPairing, MultiCropLoss.Pairings).Device(Device)
        .Parses(() => DataSpec.Parse(Data)) // the imagenet and cifar presets name no folder: --data does
        .Parses(() => TwoViewRecipe.Preset(Augment));
}
