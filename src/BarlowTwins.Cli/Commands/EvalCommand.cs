using System.CommandLine;
using BarlowTwins.Data;
using BarlowTwins.Evaluation;
using BarlowTwins.Training;

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
    private static void Warn(string warning) => Console.WriteLine($"warning: {warning}");

    private static void Log(string line) => Console.WriteLine(line);

    // The output folder is checked first: an evaluation that cannot write its record must not run.
    private static EvalTarget Target(ParseResult parse)
    {
        var target = new EvalTarget(parse.GetValue(Checkpoint)!, parse.GetValue(Data)!, parse.GetValue(Out), Augment.Value(parse),
                                    parse.GetValue(Seed), parse.GetValue(Quick));
        DataSpec.Parse(target.Data);
        OutputPaths.Folder(target.OutputDirectory, "--out");
        return target;
    }

    private static Command Linear(string name, string description)
    {
        var cached = new Option<bool>("--cached") { Description = "Train on features extracted once (the default)" };
        var augmented = new Option<bool>("--augmented")
        { Description = "Re-augment the training images every epoch (random resized crop + flip), as in the paper; slow on a CPU" };
        var rate = new Option<double>("--lr") { Description = "Peak learning rate at batch 256", DefaultValueFactory = _ => LinearDefaults.LearningRate };
        var decay = new Option<double>("--weight-decay") { Description = "Weight decay", DefaultValueFactory = _ => LinearDefaults.WeightDecay };
        var standardize = new Option<bool>("--standardize")
        { Description = "Scale each feature to mean 0, std 1 over the train split first (frozen BN without affine; cached mode)" };
        var command = WithCommon(new Command(name, description));
        foreach (var option in new Option[] { Epochs, BatchSize, cached, augmented, rate, decay, standardize }) command.Options.Add(option);
        command.SetAction(parse => InputErrors.Guard(() =>
        {
            if (parse.GetValue(cached) && parse.GetValue(augmented))
                throw new ArgumentException("--cached and --augmented exclude each other.");
            var options = new LinearProbeOptions(
                Epochs: parse.GetValue(Epochs) ?? LinearDefaults.Epochs, BatchSize: parse.GetValue(BatchSize), LearningRate: parse.GetValue(rate),
                WeightDecay: parse.GetValue(decay), Mode: parse.GetValue(augmented) ? ProbeMode.Augmented : ProbeMode.Cached,
                Device: parse.GetValue(Device)!, Standardize: parse.GetValue(standardize), Precision: parse.GetValue(Precision)!);
            options.Validate();
            var (result, path) = EvalRuns.Linear(Target(parse), options, new ConsoleProgress(), name, Warn, Log);
            Console.WriteLine($"{name} probe: {result.Final} " +
                              $"(best top-1 {result.Best.Top1:F2} % at epoch {result.BestEpoch}; {result.Seconds:F0} s) → {path}");
            return 0;
        }));
        return command;
    }

    private static Command Knn()
    {
        var k = new Option<int>("--k") { Description = "Neighbours", DefaultValueFactory = _ => KnnDefaults.K };
        var temperature = new Option<double>("--temperature") { Description = "τ in exp(sim/τ)", DefaultValueFactory = _ => KnnDefaults.Temperature };
        var command = WithCommon(new Command("knn", "Weighted k-NN on L2-normalised features."));
        command.Options.Add(k);
        command.Options.Add(temperature);
        command.SetAction(parse => InputErrors.Guard(() =>
        {
            var options = new KnnOptions(parse.GetValue(k), parse.GetValue(temperature), Device: parse.GetValue(Device)!,
                                         Precision: parse.GetValue(Precision)!);
            options.Validate();
            var (result, path) = EvalRuns.Knn(Target(parse), options, new ConsoleProgress(), Warn, Log);
            Console.WriteLine($"{result.K}-NN: {result.Accuracy} → {path}");
            return 0;
        }));
        return command;
    }

    private static Command Semi()
    {
        var labels = new Option<string>("--labels")
        { Description = "Share of labels: 1%, 10% or a fraction", DefaultValueFactory = _ => $"{SemiDefaults.LabelFraction * 100:0.###}%" };
        var labelsFile = new Option<string?>("--labels-file")
        { Description = "JSON subset file to reuse or create (default: OUT/labels-Xpct-seedS.json)" };
        var backboneRate = new Option<double>("--backbone-lr") { Description = "Pre-trained backbone rate at batch 256", DefaultValueFactory = _ => SemiDefaults.BackboneRate };
        var headRate = new Option<double>("--head-lr") { Description = "Classifier rate at batch 256", DefaultValueFactory = _ => SemiDefaults.HeadRate };
        var scratchRate = new Option<double>("--scratch-lr") { Description = "From-scratch backbone rate at batch 256", DefaultValueFactory = _ => SemiDefaults.ScratchBackboneRate };
        var command = WithCommon(new Command("semi", "Fine-tune on 1 % / 10 % of the labels, against the same budget from scratch."));
        foreach (var option in new Option[] { labels, labelsFile, Epochs, BatchSize, backboneRate, headRate, scratchRate })
            command.Options.Add(option);
        command.SetAction(parse => InputErrors.Guard(() =>
        {
            var options = new SemiSupervisedOptions(
                LabelFraction: LabelSubset.ParseFraction(parse.GetValue(labels)!), Epochs: parse.GetValue(Epochs) ?? SemiDefaults.Epochs,
                BatchSize: parse.GetValue(BatchSize), HeadRate: parse.GetValue(headRate), BackboneRate: parse.GetValue(backboneRate),
                ScratchBackboneRate: parse.GetValue(scratchRate), Device: parse.GetValue(Device)!, Precision: parse.GetValue(Precision)!);
            options.Validate();
            var (result, path) = EvalRuns.Semi(Target(parse), options, parse.GetValue(labelsFile), new ConsoleProgress(), Warn, Log);
            Console.WriteLine($"{result.Subset.Indices.Length} labels: fine-tuned {result.Pretrained.Final}, " +
                              $"from scratch {result.Scratch.Final} → {path}");
            return 0;
        }));
        return command;
    }
}
