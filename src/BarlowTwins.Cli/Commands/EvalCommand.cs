using System.CommandLine;
using BarlowTwins.Cli.Runs;
using BarlowTwins.Data;
using BarlowTwins.Evaluation;
using BarlowTwins.Training.Precision;

namespace BarlowTwins.Cli.Commands;

/// <summary><c>barlow eval linear|knn|semi|transfer</c>: the paper's evaluation protocols.</summary>
internal static class EvalCommand
{
    // The protocols' defaults, written once, in the options records; the flags show and override them.
    private static readonly LinearProbeOptions LinearDefaults = new();
    private static readonly KnnOptions KnnDefaults = new();
    private static readonly SemiSupervisedOptions SemiDefaults = new();
    private static readonly EvalTarget TargetDefaults = new("", "fashion-mnist");

    private static readonly Option<string> Checkpoint = new("--checkpoint")
    { Description = "What to evaluate: " + EvalBackbone.Help, Required = true };
    private static readonly Option<string> Data = new("--data")
    { Description = "Labelled dataset: " + DataSpec.Help, DefaultValueFactory = _ => TargetDefaults.Data };
    private static readonly Option<string?> Out = new("--out")
    { Description = "Folder for the JSON record and confusion PNG (default: CHECKPOINT/eval, or runs/eval)" };
    private static readonly AugmentOption Augment =
        new("Augmentation preset for size and normalisation: imagenet, cifar, fashion-mnist (default: from the data)");
    private static readonly Option<int> Seed = new("--seed") { Description = "Seed of everything random", DefaultValueFactory = _ => TargetDefaults.Seed };
    private static readonly Option<bool> Quick = new("--quick")
    { Description = $"Smoke test: ≤ {EvalTarget.QuickTrainImages} train / {EvalTarget.QuickTestImages} test images, few epochs" };
    private static readonly Option<string> Device = new("--device") { Description = "cpu or cuda", DefaultValueFactory = _ => LinearDefaults.Device };
    private static readonly Option<int?> Epochs = new("--epochs")
    { Description = $"Training epochs (default: the protocol's, linear {LinearDefaults.Epochs}, semi {SemiDefaults.Epochs})" };
    private static readonly Option<string> Precision = PrecisionOption(LinearDefaults.Precision);
    private static readonly Option<int> BatchSize = new("--batch-size") { Description = "Images per step", DefaultValueFactory = _ => LinearDefaults.BatchSize };

    private static readonly Option<bool> Cached = new("--cached") { Description = "Train on features extracted once (the default)" };
    private static readonly Option<bool> Augmented = new("--augmented")
    { Description = "Re-augment the training images every epoch (random resized crop + flip), as in the paper; slow on a CPU" };
    private static readonly Option<double> Rate = new("--lr") { Description = "Peak learning rate at batch 256", DefaultValueFactory = _ => LinearDefaults.LearningRate };
    private static readonly Option<double> Decay = new("--weight-decay") { Description = "Weight decay", DefaultValueFactory = _ => LinearDefaults.WeightDecay };
    private static readonly Option<bool> Standardize = new("--standardize")
    { Description = "Scale each feature to mean 0, std 1 over the train split first (frozen BN without affine; cached mode)" };
    private static readonly Option<int> K = new("--k") { Description = "Neighbours", DefaultValueFactory = _ => KnnDefaults.K };
    private static readonly Option<double> Temperature = new("--temperature") { Description = "τ in exp(sim/τ)", DefaultValueFactory = _ => KnnDefaults.Temperature };
    private static readonly Option<string> Labels = new("--labels")
    { Description = "Share of labels: 1%, 10% or a fraction", DefaultValueFactory = _ => $"{SemiDefaults.LabelFraction * 100:0.###}%" };
    private static readonly Option<string?> LabelsFile = new("--labels-file")
    { Description = "JSON subset file to reuse or create (default: OUT/labels-Xpct-seedS.json)" };
    private static readonly Option<double> BackboneRate = new("--backbone-lr") { Description = "Pre-trained backbone rate at batch 256", DefaultValueFactory = _ => SemiDefaults.BackboneRate };
    private static readonly Option<double> HeadRate = new("--head-lr") { Description = "Classifier rate at batch 256", DefaultValueFactory = _ => SemiDefaults.HeadRate };
    private static readonly Option<double> ScratchRate = new("--scratch-lr") { Description = "From-scratch backbone rate at batch 256", DefaultValueFactory = _ => SemiDefaults.ScratchBackboneRate };

    public static Command Create()
    {
        var command = new Command("eval", "Measure a backbone: linear probe, k-NN, semi-supervised fine-tuning, transfer.");
        command.Subcommands.Add(Linear("linear", "Linear probe on frozen features (top-1/top-5, final and best epoch)."));
        command.Subcommands.Add(Linear("transfer", "Linear probe of a backbone pre-trained on one dataset on another (--data)."));
        command.Subcommands.Add(Knn());
        command.Subcommands.Add(Semi());
        return command;
    }

    private static Command WithCommon(Command command)
    {
        foreach (var option in new Option[] { Checkpoint, Data, Out, Seed, Quick, Device, Precision }) command.Options.Add(option);
        Augment.AddTo(command);
        return command;
    }

    /// <summary>The <c>--precision</c> of feature extraction (eval and embed share it).</summary>
    internal static Option<string> PrecisionOption(string defaultValue) => new("--precision")
    {
        Description = $"{string.Join(", ", Precisions.Names)}: precision of the backbone's forward pass for features (bf16: a bfloat16 copy, " +
                      "float32 features out); auto times both on the first batch and takes the faster",
        DefaultValueFactory = _ => defaultValue,
    };

    // On stdout, in order with the progress and the result, so a log of the run keeps them.
    private static void Warn(string warning) => Console.WriteLine(EvalRuns.WarningLine(warning));

    private static void Log(string line) => Console.WriteLine(line);

    /// <summary>What the flags common to every <c>eval</c> verb name: the backbone, the data, the output, the seed.</summary>
    internal static EvalTarget ReadTarget(ParseResult parse) =>
        new(parse.GetValue(Checkpoint)!, parse.GetValue(Data)!, parse.GetValue(Out), Augment.Value(parse), parse.GetValue(Seed), parse.GetValue(Quick));

    // The output folder is checked first: an evaluation that cannot write its record must not run.
    private static EvalTarget CheckedTarget(ParseResult parse)
    {
        var target = ReadTarget(parse);
        DataSpec.Parse(target.Data);
        OutputPaths.Folder(target.OutputDirectory, "--out");
        return target;
    }

    private static Command Linear(string name, string description)
    {
        var command = WithCommon(new Command(name, description));
        foreach (var option in new Option[] { Epochs, BatchSize, Cached, Augmented, Rate, Decay, Standardize }) command.Options.Add(option);
        command.SetAction(parse => InputErrors.Guard(() =>
        {
            var options = ReadLinear(parse);
            options.Validate();
            var (result, path) = EvalRuns.Linear(CheckedTarget(parse), options, new ConsoleProgress(), name, Warn, Log);
            Console.WriteLine($"{name} probe: {result.Final} " +
                              $"(best top-1 {result.Best.Top1:F2} % at epoch {result.BestEpoch}; {result.Seconds:F0} s) → {path}");
            return 0;
        }));
        return command;
    }

    /// <summary>The linear probe's options that the flags of <c>eval linear</c> and <c>eval transfer</c> set.</summary>
    internal static LinearProbeOptions ReadLinear(ParseResult parse)
    {
        if (parse.GetValue(Cached) && parse.GetValue(Augmented))
            throw new ArgumentException("--cached and --augmented exclude each other.");
        return LinearDefaults with
        {
            Epochs = parse.GetValue(Epochs) ?? LinearDefaults.Epochs,
            BatchSize = parse.GetValue(BatchSize),
            LearningRate = parse.GetValue(Rate),
            WeightDecay = parse.GetValue(Decay),
            Mode = parse.GetValue(Augmented) ? ProbeMode.Augmented : ProbeMode.Cached,
            Device = parse.GetValue(Device)!,
            Standardize = parse.GetValue(Standardize),
            Precision = parse.GetValue(Precision)!,
        };
    }

    private static Command Knn()
    {
        var command = WithCommon(new Command("knn", "Weighted k-NN on L2-normalised features."));
        command.Options.Add(K);
        command.Options.Add(Temperature);
        command.SetAction(parse => InputErrors.Guard(() =>
        {
            var options = ReadKnn(parse);
            options.Validate();
            var (result, path) = EvalRuns.Knn(CheckedTarget(parse), options, new ConsoleProgress(), Warn, Log);
            Console.WriteLine($"{result.K}-NN: {result.Accuracy} → {path}");
            return 0;
        }));
        return command;
    }

    /// <summary>The k-NN options that the flags of <c>eval knn</c> set.</summary>
    internal static KnnOptions ReadKnn(ParseResult parse) => KnnDefaults with
    {
        K = parse.GetValue(K),
        Temperature = parse.GetValue(Temperature),
        Device = parse.GetValue(Device)!,
        Precision = parse.GetValue(Precision)!,
    };

    private static Command Semi()
    {
        var command = WithCommon(new Command("semi", "Fine-tune on 1 % / 10 % of the labels, against the same budget from scratch."));
        foreach (var option in new Option[] { Labels, LabelsFile, Epochs, BatchSize, BackboneRate, HeadRate, ScratchRate })
            command.Options.Add(option);
        command.SetAction(parse => InputErrors.Guard(() =>
        {
            var options = ReadSemi(parse);
            options.Validate();
            var (result, path) = EvalRuns.Semi(CheckedTarget(parse), options, parse.GetValue(LabelsFile), new ConsoleProgress(), Warn, Log);
            Console.WriteLine($"{result.Subset.Indices.Length} labels: fine-tuned {result.Pretrained.Final}, " +
                              $"from scratch {result.Scratch.Final} → {path}");
            return 0;
        }));
        return command;
    }

    /// <summary>The fine-tuning options that the flags of <c>eval semi</c> set.</summary>
    internal static SemiSupervisedOptions ReadSemi(ParseResult parse) => SemiDefaults with
    {
        LabelFraction = LabelSubset.ParseFraction(parse.GetValue(Labels)!),
        Epochs = parse.GetValue(Epochs) ?? SemiDefaults.Epochs,
        BatchSize = parse.GetValue(BatchSize),
        HeadRate = parse.GetValue(HeadRate),
        BackboneRate = parse.GetValue(BackboneRate),
        ScratchBackboneRate = parse.GetValue(ScratchRate),
        Device = parse.GetValue(Device)!,
        Precision = parse.GetValue(Precision)!,
    };
}
