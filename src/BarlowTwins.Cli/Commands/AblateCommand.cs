using System.CommandLine;
using BarlowTwins.Cli.Runs;
using BarlowTwins.Data;
using BarlowTwins.Evaluation;
using BarlowTwins.Experiments;
using BarlowTwins.Loss;
using BarlowTwins.Models;

namespace BarlowTwins.Cli.Commands;

/// <summary><c>barlow ablate</c>: the paper's ablations in miniature, one short pre-training + linear probe per row.</summary>
internal static class AblateCommand
{
    private static readonly AblationOptions Defaults = new();
    private static readonly Option<string> Preset = new("--preset") { Description = "Pre-training preset every run starts from", DefaultValueFactory = _ => Defaults.Preset };
    private static readonly Option<string> Data = new("--data") { Description = "Dataset: " + DataSpec.Help, DefaultValueFactory = _ => Defaults.Data };
    private static readonly Option<double> Minutes = new("--minutes") { Description = "Pre-training budget per run", DefaultValueFactory = _ => Defaults.Minutes };
    private static readonly Option<int?> Epochs = new("--epochs")
    { Description = "Pre-training budget per run in epochs (instead of --minutes): equal work whatever the load" };
    private static readonly Option<int> ProbeEpochs = new("--probe-epochs") { Description = "Linear-probe epochs per run", DefaultValueFactory = _ => Defaults.ProbeEpochs };
    private static readonly Option<string> Lambda = new("--lambda") { Description = "Baseline λ (number or auto = 1/D)", DefaultValueFactory = _ => Defaults.Lambda.ToString() };
    private static readonly Option<string> Projector = new("--projector") { Description = "Baseline projector widths", DefaultValueFactory = _ => Defaults.Projector.ToString() };
    private static readonly Option<int> BatchSize = new("--batch-size") { Description = "Baseline batch", DefaultValueFactory = _ => Defaults.BatchSize };
    private static readonly Option<int> Seed = new("--seed") { Description = "Seed of every run", DefaultValueFactory = _ => Defaults.Seed };
    private static readonly Option<string[]> Groups = new("--groups")
    { Description = $"Studies to run: {string.Join(", ", AblationPlan.AllGroups)} (default: all)", AllowMultipleArgumentsPerToken = true };
    private static readonly Option<string?> Config = new("--config")
    { Description = "JSON file of pre-training options over the preset (keys are pretrain's flag names), e.g. {\"width\": 16}" };
    private static readonly Option<bool> Quick = new("--quick") { Description = "Probe on a small slice of the data (smoke test)" };
    private static readonly Option<string> Output = new("--out") { Description = "Folder for runs and the table", DefaultValueFactory = _ => Defaults.Out };

    public static Command Create()
    {
        var command = new Command("ablate",
            "Full loss, invariance only, redundancy only, λ sweep (incl. auto = 1/D), projector width and batch size, " +
            "each a short pre-training + linear probe, into one table (markdown + JSON).");
        foreach (var option in new Option[] { Preset, Data, Minutes, Epochs, ProbeEpochs, Lambda, Projector, BatchSize, Seed, Groups, Output, Quick, Config })
            command.Options.Add(option);
        command.SetAction(parse => InputErrors.Guard(() =>
        {
            var options = Read(parse);
            OutputPaths.Folder(options.Out, "--out");
            var (rows, path) = Ablation.RunAndWrite(options, (c, dir) => AblationPretraining.Pretrain(c, options, dir, Console.WriteLine),
                                                    new ConsoleProgress(), Console.WriteLine);
            Console.WriteLine(Ablation.Markdown(rows, options));
            Console.WriteLine($"→ {path}");
            return 0;
        }));
        return command;
    }

    /// <summary>The options that the flags of <c>ablate</c> set.</summary>
    internal static AblationOptions Read(ParseResult parse) => new()
    {
        Preset = parse.GetValue(Preset)!,
        Data = parse.GetValue(Data)!,
        Minutes = parse.GetValue(Minutes),
        Epochs = parse.GetValue(Epochs),
        ProbeEpochs = parse.GetValue(ProbeEpochs),
        Lambda = RedundancyWeight.Parse(parse.GetValue(Lambda)!),
        Projector = ProjectorSpec.Parse(parse.GetValue(Projector)!),
        BatchSize = parse.GetValue(BatchSize),
        Seed = parse.GetValue(Seed),
        Groups = parse.GetValue(Groups) ?? [],
        Out = parse.GetValue(Output)!,
        Quick = parse.GetValue(Quick),
        Config = parse.GetValue(Config),
    };
}
