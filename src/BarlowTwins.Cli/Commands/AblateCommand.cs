using System.CommandLine;
using BarlowTwins.Data;
using BarlowTwins.Evaluation;
using BarlowTwins.Experiments;
using BarlowTwins.Loss;
using BarlowTwins.Models;

namespace BarlowTwins.Cli.Commands;

/// <summary><c>barlow ablate</c>: the paper's ablations in miniature, one short pre-training + linear probe per row.</summary>
internal static class AblateCommand
{
    public static Command Create()
    {
        var defaults = new AblationOptions();
        var preset = new Option<string>("--preset") { Description = "Pre-training preset every run starts from", DefaultValueFactory = _ => defaults.Preset };
        var data = new Option<string>("--data") { Description = "Dataset: " + DataSpec.Help, DefaultValueFactory = _ => defaults.Data };
        var minutes = new Option<double>("--minutes") { Description = "Pre-training budget per run", DefaultValueFactory = _ => defaults.Minutes };
        var epochs = new Option<int?>("--epochs") { Description = "Pre-training budget per run in epochs (instead of --minutes): equal work whatever the load" };
        var probeEpochs = new Option<int>("--probe-epochs") { Description = "Linear-probe epochs per run", DefaultValueFactory = _ => defaults.ProbeEpochs };
        var lambda = new Option<string>("--lambda") { Description = "Baseline λ (number or auto = 1/D)", DefaultValueFactory = _ => defaults.Lambda.ToString() };
        var projector = new Option<string>("--projector") { Description = "Baseline projector widths", DefaultValueFactory = _ => defaults.Projector.ToString() };
        var batch = new Option<int>("--batch-size") { Description = "Baseline batch", DefaultValueFactory = _ => defaults.BatchSize };
        var seed = new Option<int>("--seed") { Description = "Seed of every run", DefaultValueFactory = _ => defaults.Seed };
        var groups = new Option<string[]>("--groups")
        { Description = $"Studies to run: {string.Join(", ", AblationPlan.AllGroups)} (default: all)", AllowMultipleArgumentsPerToken = true };
        var config = new Option<string?>("--config") { Description = "JSON file of pre-training options over the preset (keys are pretrain's flag names), e.g. {\"width\": 16}" };
        var quick = new Option<bool>("--quick") { Description = "Probe on a small slice of the data (smoke test)" };
        var output = new Option<string>("--out") { Description = "Folder for runs and the table", DefaultValueFactory = _ => defaults.Out };
        var command = new Command("ablate",
            "Full loss, invariance only, redundancy only, λ sweep (incl. auto = 1/D), projector width and batch size, " +
            "each a short pre-training + linear probe, into one table (markdown + JSON).");
        foreach (var option in new Option[] { preset, data, minutes, epochs, probeEpochs, lambda, projector, batch, seed, groups, output, quick, config })
            command.Options.Add(option);
        command.SetAction(parse => InputErrors.Guard(() =>
        {
            var options = new AblationOptions
            {
                Preset = parse.GetValue(preset)!,
                Data = parse.GetValue(data)!,
                Minutes = parse.GetValue(minutes),
                Epochs = parse.GetValue(epochs),
                ProbeEpochs = parse.GetValue(probeEpochs),
                Lambda = RedundancyWeight.Parse(parse.GetValue(lambda)!),
                Projector = ProjectorSpec.Parse(parse.GetValue(projector)!),
                BatchSize = parse.GetValue(batch),
                Seed = parse.GetValue(seed),
                Groups = parse.GetValue(groups) ?? [],
                Out = parse.GetValue(output)!,
                Quick = parse.GetValue(quick),
                Config = parse.GetValue(config),
            };
            OutputPaths.Folder(options.Out, "--out");
            var (rows, path) = Ablation.RunAndWrite(options, (c, dir) => AblationPretraining.Pretrain(c, options, dir, Console.WriteLine),
                                                    new ConsoleProgress(), Console.WriteLine);
            Console.WriteLine(Ablation.Markdown(rows, options));
            Console.WriteLine($"→ {path}");
            return 0;
        }));
        return command;
    }
}
