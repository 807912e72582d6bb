using BarlowTwins.Data;
using BarlowTwins.Training.Precision;
using TorchSharp;
using static TorchSharp.torch;

namespace BarlowTwins.Evaluation;

/// <summary>One evaluation's record, as written to JSON.</summary>
/// <param name="Protocol">linear, knn, semi or transfer.</param>
/// <param name="Checkpoint">What was evaluated (run folder, random ResNet, raw pixels).</param>
/// <param name="Data">The data spec.</param>
/// <param name="TrainImages">Images in the (possibly reduced) training split.</param>
/// <param name="TestImages">Images in the (possibly reduced) test split.</param>
/// <param name="Preset">Augmentation preset used for size and normalisation.</param>
/// <param name="ChannelAdaptation">How the data's channels were fed to the backbone.</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="Options">The protocol's options.</param>
/// <param name="Result">What was measured.</param>
/// <param name="Warnings">What makes the numbers mislead (<see cref="SmallData"/>), as printed; empty when nothing does.</param>
/// <param name="Skipped">Every file or folder of the data that could not be read and was left out.</param>
/// <param name="Precision">The precision features were extracted in and how it was chosen (with both timings when measured).</param>
public sealed record EvalRecord(string Protocol, string Checkpoint, string Data, int TrainImages, int TestImages,
                                string Preset, string ChannelAdaptation, int Seed, object Options, object Result,
                                IReadOnlyList<string> Warnings, IReadOnlyList<SkippedItem>? Skipped = null,
                                PrecisionChoice? Precision = null)
{
    /// <summary>How many files and folders the data left out as unreadable.</summary>
    public int SkippedFiles => Skipped?.Count ?? 0;

    /// <summary>True when the test split has fewer than <see cref="SmallData.TestImages"/> images.</summary>
    public bool SmallTestSplit => TestImages < SmallData.TestImages;
}

/// <summary>
/// The evaluation commands end to end: open the data, load the backbone, run a protocol, write
/// the JSON record and confusion-matrix PNGs. The CLI verbs are thin wrappers around these.
/// Warnings (<see cref="SmallData"/>) go to <c>warn</c> once the data is open, before any feature
/// is extracted, and into the record. The precision of the features is chosen once per evaluation
/// (<see cref="FeatureNetwork.Open"/>), said to <c>log</c> and recorded.
/// </summary>
public static class EvalRuns
{
    // libtorch must be loaded before the first nn module is built.
    static EvalRuns() => torch.InitializeDeviceType(DeviceType.CPU);

    /// <summary>How a warning of an evaluation is printed, in order with its progress and result.</summary>
    public static string WarningLine(string warning) => $"warning: {warning}";

    /// <summary>Linear probe (also the transfer protocol when <paramref name="protocol"/> is "transfer").</summary>
    public static (ProbeResult Result, string Path) Linear(EvalTarget target, LinearProbeOptions options,
                                                           IProgress<EvalProgress>? progress = null, string protocol = "linear",
                                                           Action<string>? warn = null, Action<string>? log = null)
    {
        options = (target.Quick ? options.AsQuick() : options) with { Seed = target.Seed };
        options.Validate();
        var (data, preset, warnings, backbone) = OpenAndLoad(target, options.Device, warn);
        using var network = OpenNetwork(backbone, data, options.Precision, options.FeatureBatchSize, options.Device, log);
        options = options with { Precision = network.Precision };
        var result = LinearProbe.Run(network, data, options, progress);
        var record = Record(protocol, target, data, preset, backbone, options, result, warnings, network.Choice);
        return (result, EvalReport.Write(target.OutputDirectory, target.FileStem(protocol), record,
                                         [("", $"{protocol} probe, {target.Data}: top-1 {result.Final.Top1:F2} %", result.Confusion)]));
    }

    /// <summary>Weighted k-NN.</summary>
    public static (KnnResult Result, string Path) Knn(EvalTarget target, KnnOptions options, IProgress<EvalProgress>? progress = null,
                                                      Action<string>? warn = null, Action<string>? log = null)
    {
        options.Validate();
        var (data, preset) = Open(target, ComputeDevice.Get(options.Device));
        var warnings = DataWarnings(data);
        options = SmallData.ClampK(options, data.Train.Count, warnings);
        Warn(warnings, warn);
        var backbone = EvalBackbone.Load(target.Checkpoint, data.Train.Channels, target.Seed);
        using var network = OpenNetwork(backbone, data, options.Precision, options.FeatureBatchSize, options.Device, log);
        options = options with { Precision = network.Precision };
        var result = Evaluation.Knn.Run(network, data, options, progress);
        var record = Record("knn", target, data, preset, backbone, options, result, warnings, network.Choice);
        return (result, EvalReport.Write(target.OutputDirectory, target.FileStem("knn"), record,
                                         [("", $"{options.K}-NN, {target.Data}: top-1 {result.Accuracy.Top1:F2} %", result.Confusion)]));
    }

    /// <summary>
    /// Semi-supervised fine-tuning and its from-scratch baseline on a fixed label subset, read from
    /// <paramref name="labelsFile"/> (default: OUT/labels-Xpct-seedS.json) or chosen and written there.
    /// </summary>
    public static (SemiSupervisedResult Result, string Path) Semi(EvalTarget target, SemiSupervisedOptions options,
                                                                  string? labelsFile = null, IProgress<EvalProgress>? progress = null,
                                                                  Action<string>? warn = null, Action<string>? log = null)
    {
        options = (target.Quick ? options.AsQuick() : options) with { Seed = target.Seed };
        options.Validate();
        var (data, preset, warnings, backbone) = OpenAndLoad(target, options.Device, warn);
        var resnet = backbone.ResNet ?? throw new ArgumentException("Semi-supervised fine-tuning needs a ResNet, not raw pixels.");
        // A quick run draws from fewer images: its subset must never be mistaken for the real one.
        labelsFile ??= Path.Combine(target.OutputDirectory,
                                    (target.Quick ? "quick-" : "") + LabelSubset.FileName(options.LabelFraction, target.Seed));
        var subset = LabelSubset.LoadOrCreate(labelsFile, data.Train, options.LabelFraction, target.Seed);
        // Chosen on the pre-trained backbone: the fine-tuned networks have its shapes.
        PrecisionChoice precision;
        using (var network = OpenNetwork(backbone, data, options.Precision, options.FeatureBatchSize, options.Device, log))
            precision = network.Choice;
        options = options with { Precision = precision.Precision };
        var result = SemiSupervised.Run(resnet, data, subset, options, progress);
        var record = Record("semi", target, data, preset, backbone, options,
                            new
                            {
                                LabelsFile = Path.GetFullPath(labelsFile),
                                LabelledImages = subset.Indices.Length,
                                result.Pretrained,
                                result.Scratch
                            }, warnings, precision);
        string name = target.FileStem($"semi-{LabelSubset.Tag(options.LabelFraction)}");
        return (result, EvalReport.Write(target.OutputDirectory, name, record,
        [
            ("-pretrained", $"fine-tuned, {subset.Indices.Length} labels: top-1 {result.Pretrained.Final.Top1:F2} %", result.Pretrained.Confusion),
            ("-scratch", $"from scratch, {subset.Indices.Length} labels: top-1 {result.Scratch.Final.Top1:F2} %", result.Scratch.Confusion),
        ]));
    }

    /// <summary>Opens both splits (reduced in a quick run) and the transforms of the preset (explicit, or from the data kind).</summary>
    internal static (ProbeData Data, string Preset) Open(EvalTarget target, Device device)
    {
        string preset = target.Augment ?? DataSpec.Parse(target.Data).DefaultPreset;
        var data = target.Quick
            ? ProbeData.Open(target.Data, preset, device, EvalTarget.QuickTrainImages, EvalTarget.QuickTestImages)
            : ProbeData.Open(target.Data, preset, device);
        return (data, preset);
    }

    // The linear and semi-supervised protocols' start: the data, its warnings said at once (k-NN
    // adds its own before saying them), then the backbone.
    private static (ProbeData Data, string Preset, List<string> Warnings, EvalBackbone Backbone) OpenAndLoad(
        EvalTarget target, string device, Action<string>? warn)
    {
        var (data, preset) = Open(target, ComputeDevice.Get(device));
        var warnings = Warn(DataWarnings(data), warn);
        return (data, preset, warnings, EvalBackbone.Load(target.Checkpoint, data.Train.Channels, target.Seed));
    }

    // What makes the numbers mislead: a small split, and files the data left out (the first few;
    // the record lists them all).
    private static List<string> DataWarnings(ProbeData data)
    {
        var warnings = SmallData.Warnings(data);
        if (data.Skipped is { SkippedCount: > 0 } skipped) warnings.Add(skipped.Summary("the JSON record's \"skipped\""));
        return warnings;
    }

    private static List<string> Warn(List<string> warnings, Action<string>? warn)
    {
        foreach (var warning in warnings) warn?.Invoke(warning);
        return warnings;
    }

    // On the protocol's device first: the choice times the network where it will run.
    private static FeatureNetwork OpenNetwork(EvalBackbone backbone, ProbeData data, string precision, int batchSize, string device,
                                              Action<string>? log)
    {
        var on = ComputeDevice.Get(device);
        backbone.Network.to(on);
        var network = data.Network(backbone.Network, precision, batchSize, on);
        log?.Invoke(network.Choice.ToString());
        return network;
    }

    private static EvalRecord Record(string protocol, EvalTarget target, ProbeData data, string preset, EvalBackbone backbone,
                                     object options, object result, IReadOnlyList<string> warnings, PrecisionChoice precision) =>
        new(protocol, backbone.Description, target.Data, data.Train.Count, data.Test.Count, preset, backbone.ChannelAdaptation,
            target.Seed, options, result, warnings, data.Skipped?.Skipped ?? [], precision);
}
