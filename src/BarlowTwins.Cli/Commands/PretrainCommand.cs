using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Text.Json.Nodes;
using BarlowTwins.Augment;
using BarlowTwins.Cli.Runs;
using BarlowTwins.Interop;
using BarlowTwins.Loss;
using BarlowTwins.Models;
using BarlowTwins.Training;
using BarlowTwins.Training.Options;
using BarlowTwins.Training.Precision;

namespace BarlowTwins.Cli.Commands;

/// <summary><c>barlow pretrain</c>: Barlow Twins pre-training, resumable and observable.</summary>
internal static class PretrainCommand
{
    private static readonly Option<string> Preset = new("--preset")
    {
        Description = $"Starting options: {PresetChoice.Auto} (the preset that suits --data, by its format or a look at its images), " +
                      string.Join(", ", PretrainPresets.All.Keys),
        DefaultValueFactory = _ => PresetChoice.Auto,
    };
    private static readonly Option<bool> PrintConfig = new("--print-config", "--dry-run")
    { Description = "Print the resolved options, the data and the schedule, then exit without writing anything" };
    private static readonly Option<string?> Config = new("--config")
    { Description = "JSON file of options (keys are the flag names) applied over the preset" };
    private static readonly Option<bool> Resume = new("--resume")
    { Description = "Continue the run in --out (automatic when it holds a checkpoint); fails when there is none" };
    private static readonly Option<bool> Fresh = new("--fresh")
    { Description = "Refuse to resume: fail if --out already holds a checkpoint" };

    /// <summary>What <c>--crop-scale</c> does, here and on <c>preview</c>.</summary>
    internal const string CropScaleHelp = "Crop-scale range min,max of the two global views (default: the augmentation preset's)";

    /// <summary>What <c>--jitter-strength</c> does, here and on <c>preview</c>.</summary>
    internal const string JitterStrengthHelp = "Beyond the paper: multiply the colour-jitter ranges of all views by M " +
                                               "(hue at most 0.5; SimCLR's colour-distortion strength); 1 is the augmentation preset's";

    /// <summary>What <c>--blur</c> does, here and on <c>preview</c>.</summary>
    internal const string BlurHelp = "Gaussian-blur probabilities a,b of views A and B (default: the augmentation preset's; the paper's 1,0.1)";

    /// <summary>What <c>--solarize</c> does, here and on <c>preview</c>.</summary>
    internal const string SolarizeHelp = "Beyond the paper: solarization probabilities a,b of views A and B (default: the augmentation preset's, the paper's 0,0.2)";

    private static readonly IOverrideFlag<PretrainOptions>[] Flags =
    [
        Flag<string>("--data", "Dataset: fashion-mnist | idx:DIR | cifar10:DIR | folder:DIR | synthetic[?count=N&size=S]", (o, v) => o with { Data = v }),
        Flag<string>("--augment", "Augmentation preset of the two views: imagenet, cifar, fashion-mnist", (o, v) => o with { Augment = v }),
        Flag<int>("--image-size", "Crop side in pixels", (o, v) => o with { ImageSize = v }),
        Flag<string>("--crop-scale", CropScaleHelp, (o, v) => o with { CropScale = Interval.Parse(v) }),
        Flag<double>("--jitter-strength", JitterStrengthHelp, (o, v) => o with { JitterStrength = v }),
        Flag<string>("--blur", BlurHelp, (o, v) => o with { Blur = ViewProbabilities.Parse(v) }),
        Flag<string>("--solarize", SolarizeHelp, (o, v) => o with { Solarize = ViewProbabilities.Parse(v) }),
        Flag<string>("--progressive", "A departure from the paper: S,F global views at S px for the first fraction F of the schedule's steps, then --image-size " +
                     "(progressive resizing; needs --steps or --epochs)", (o, v) => o with { Progressive = ProgressiveResolution.Parse(v) }),
        Flag<int>("--local-crops", "Multi-crop: small views per image besides the two global ones (0: the paper's two views)",
                  (o, v) => o with { LocalCrops = v }),
        Flag<int>("--local-size", "Multi-crop: side of the small views in pixels", (o, v) => o with { LocalSize = v }),
        Flag<string>("--local-scale", "Multi-crop: crop-scale range min,max of the small views", (o, v) => o with { LocalScale = Interval.Parse(v) }),
        Flag<string>("--view-pairing", "Views the loss pairs: global (each global view with every other view; the paper's with no small views) " +
                     "or mean (beyond the paper: every view with its image's mean embedding, EMP-SSL's pairing)", (o, v) => o with { ViewPairing = v }),
        Flag<string>("--backbone", "resnet18, resnet34 or resnet50", (o, v) => o with { Backbone = ResNetArchitecture.Parse(v) }),
        Flag<int>("--width", "Channels of the first ResNet stage (64 in torchvision)", (o, v) => o with { Width = v }),
        Flag<bool>("--cifar-stem", "3×3 stem, no max-pool (28–32 px images)", (o, v) => o with { CifarStem = v }),
        Flag<int>("--stem-stride", "Stride of the CIFAR stem: 1, or 2 (a quarter of the cost: room for twice the width)", (o, v) => o with { StemStride = v }),
        Flag<bool>("--zero-init-residual", "Start every residual block's last BN γ at 0, as the authors do (false, beyond the paper: torchvision's γ = 1)",
                   (o, v) => o with { ZeroInitResidual = v }),
        Flag<int>("--channels", "Input channels: 1 or 3", (o, v) => o with { Channels = v }),
        Flag<string>("--projector", "Projector widths, e.g. 8192-8192-8192", (o, v) => o with { Projector = ProjectorSpec.Parse(v) }),
        Flag<string>("--lambda", "λ of the redundancy term: a number or auto (1/D)", (o, v) => o with { Lambda = RedundancyWeight.Parse(v) }),
        Flag<double>("--invariance-weight", "Weight of the invariance term (1; 0 = redundancy-only ablation)", (o, v) => o with { InvarianceWeight = v }),
        Flag<string>("--optimizer", "lars, sgd or adamw", (o, v) => o with { Optimizer = v }),
        Flag<double>("--weight-lr", "Base rate of weights (× batch/256)", (o, v) => o with { WeightLr = v }),
        Flag<double>("--bias-lr", "Base rate of biases and BN parameters (× batch/256; the paper: 0.0048)", (o, v) => o with { BiasLr = v }),
        Flag<double>("--weight-decay", "Weight decay of the weights", (o, v) => o with { WeightDecay = v }),
        Flag<double>("--momentum", "Momentum (LARS, SGD) or β₁ (AdamW)", (o, v) => o with { Momentum = v }),
        Flag<double>("--eta", "LARS trust coefficient", (o, v) => o with { Eta = v }),
        Flag<double>("--beta2", "AdamW β₂", (o, v) => o with { Beta2 = v }),
        Flag<double>("--warmup-epochs", "Epochs of linear warm-up (at most a tenth of the run)", (o, v) => o with { WarmupEpochs = v }),
        Flag<int>("--batch-size", "Images per step", (o, v) => o with { BatchSize = v }),
        Flag<int>("--micro-batch", "Images per forward pass: the exact gradient of the whole batch in the memory of this many",
                  (o, v) => o with { MicroBatch = v }),
        Flag<int>("--epochs", "Length of the schedule in epochs (replaces the preset's --minutes or --steps)",
                  (o, v) => o with { Epochs = v, Steps = null, Minutes = null }),
        Flag<long>("--steps", "Length of the schedule in steps: warm-up and cosine fitted to it (replaces --epochs, --minutes)",
                   (o, v) => o with { Steps = v, Minutes = null }),
        Flag<double>("--minutes", "Time budget: the schedule is fitted to the measured step time", (o, v) => o with { Minutes = v, Steps = null }),
        Flag<long>("--max-steps", "Stop after this many steps; the schedule is unchanged (use --steps for a shorter run)", (o, v) => o with { MaxSteps = v }),
        Flag<string>("--init-from", "Start the backbone from these weights: " + BackboneWeights.Help, (o, v) => o with { InitFrom = v }),
        Flag<long>("--seed", "Seed of weights, data order and augmentations", (o, v) => o with { Seed = v }),
        Flag<string>("--device", "cpu or cuda", (o, v) => o with { Device = v }),
        Flag<string>("--precision", $"{string.Join(", ", Precisions.Names)}: bf16 runs the network in bfloat16 (float32 master weights and loss); " +
                     "auto (every preset) times both on this run's shapes at the start and takes the faster", (o, v) => o with { Precision = v }),
        Flag<bool>("--bf16", "Same as --precision bf16 (--bf16 false: fp32)", (o, v) => o with { Precision = v ? Precisions.BFloat16 : Precisions.Float32 }, hidden: true),
        Flag<bool>("--channels-last", "Convolutions in channels-last (NHWC) layout: faster for ResNet-50 224 px bf16", (o, v) => o with { ChannelsLast = v }),
        Flag<int>("--workers", "Loader threads building batches ahead (0: on the training thread)", (o, v) => o with { Workers = v }),
        Flag<double>("--checkpoint-minutes", "Minutes between checkpoints within an epoch", (o, v) => o with { CheckpointMinutes = v }),
        Flag<int>("--keep-checkpoints", "Checkpoints kept (older ones are fallbacks)", (o, v) => o with { KeepCheckpoints = v }),
        Flag<int>("--max-skipped-steps", "Stop when this many consecutive updates were skipped for NaN/Inf (the run has diverged)",
                  (o, v) => o with { MaxSkippedSteps = v }),
        Flag<int>("--knn-every", "Run the k-NN monitor every N epochs (0: never)", (o, v) => o with { KnnEvery = v }),
        Flag<int>("--log-every", "Steps between metric lines", (o, v) => o with { LogEvery = v }),
        Flag<string>("--out", "Run folder: config, checkpoints, metrics, plots, backbone", (o, v) => o with { Out = v }),
    ];

    // Each of these replaces the others' length, so two of them would silently drop one.
    private static readonly string[] LengthFlags = ["--epochs", "--steps", "--minutes"];

    private static void OneLengthFlag(System.CommandLine.Parsing.CommandResult result)
    {
        var given = Flags.Select(f => f.Option)
                         .Where(o => LengthFlags.Contains(o.Name) && result.GetResult(o) is { Implicit: false })
                         .Select(o => o.Name).ToList();
        if (given.Count > 1) result.AddError($"{string.Join(" and ", given)} each set the schedule's length: give one of them.");
    }

    /// <summary>
    /// Makes <c>barlow pretrain --help</c> show each flag's value under the --preset given with it
    /// (without one, those of fashion-mnist, the choice when there is no --data): flags have no
    /// defaults of their own, so the plain help could show none.
    /// </summary>
    public static void ShowPresetValuesInHelp(RootCommand root)
    {
        var help = root.Options.OfType<HelpOption>().Single();
        if (help.Action is SynchronousCommandLineAction inner) help.Action = new PresetHelp(inner);
    }

    private sealed class PresetHelp(SynchronousCommandLineAction inner) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parse)
        {
            if (parse.CommandResult.Command.Name == "pretrain") AnnotateWithPreset(parse);
            return inner.Invoke(parse);
        }
    }

    private static void AnnotateWithPreset(ParseResult parse)
    {
        string asked = parse.GetValue(Preset) ?? PresetChoice.Auto;
        string name = asked.Equals(PresetChoice.Auto, StringComparison.OrdinalIgnoreCase) ? "fashion-mnist" : asked.Trim().ToLowerInvariant();
        if (!PretrainPresets.All.TryGetValue(name, out var preset)) return; // the run itself will name the presets
        var values = JsonNode.Parse(PretrainOptionsJson.Write(preset))!.AsObject();
        foreach (var option in Flags.Select(f => f.Option))
            if (values.TryGetPropertyValue(option.Name.TrimStart('-'), out var value))
                option.Description += $" [{name}: {Text(value)}]";
        parse.CommandResult.Command.Description += $"\nValues in [ ] are those of preset {name}" +
            (name == asked ? "." : " (--preset auto without --data; with --data the preset suits the data, see --print-config).");
    }

    // As the flag takes it: a string bare, an interval {min, max} as "min,max".
    private static string Text(JsonNode? value) => value switch
    {
        null => "none",
        JsonObject parts => string.Join(",", parts.Select(p => Text(p.Value))),
        JsonValue v when v.TryGetValue(out string? text) => text,
        _ => value.ToJsonString(),
    };

    private static OverrideFlag<PretrainOptions, T> Flag<T>(string name, string description, Func<PretrainOptions, T, PretrainOptions> apply,
                                                            bool hidden = false) =>
        new(name, description, apply, hidden);

    public static Command Create()
    {
        var command = new Command("pretrain", "Pre-train a backbone with Barlow Twins (resumable; progress, metrics, TensorBoard, plots).");
        foreach (var option in new Option[] { Preset, Config, Resume, Fresh, PrintConfig }) command.Options.Add(option);
        foreach (var flag in Flags) command.Options.Add(flag.Option);
        command.Validators.Add(OneLengthFlag);
        command.SetAction((parse, cancel) => Task.FromResult(InputErrors.Guard(() => PretrainRun.Execute(Request(parse), parse.GetValue(PrintConfig), cancel))));
        return command;
    }

    /// <summary>What a <c>pretrain</c> command line asks for.</summary>
    internal static PretrainRequest Request(ParseResult parse) =>
        new(parse.GetValue(Preset)!, parse.GetValue(Config), parse.GetValue(Resume), parse.GetValue(Fresh),
            options => Flags.Aggregate(options, (o, flag) => flag.ApplyIfGiven(parse, o)));
}
