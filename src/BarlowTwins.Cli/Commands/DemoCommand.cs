using System.CommandLine;
using BarlowTwins.Cli.Runs;

namespace BarlowTwins.Cli.Commands;

/// <summary><c>barlow demo</c>: the first command to run — real pre-training on Fashion-MNIST, then a linear probe.</summary>
internal static class DemoCommand
{
    private static readonly DemoOptions Defaults = new();

    private static readonly Option<double> Minutes = new("--minutes")
    { Description = "Pre-training budget in minutes", DefaultValueFactory = _ => Defaults.Minutes };
    private static readonly Option<string?> Out = new("--out") { Description = "Run folder (default: runs/demo-TIMESTAMP)" };
    private static readonly Option<long> Seed = new("--seed") { Description = "Seed of everything", DefaultValueFactory = _ => Defaults.Seed };

    public static Command Create()
    {
        var command = new Command("demo",
            "Pre-train on Fashion-MNIST for a few minutes (installing it when possible), then compare linear probes: pixels, random init, Barlow Twins.");
        foreach (var option in new Option[] { Minutes, Out, Seed }) command.Options.Add(option);
        command.SetAction((parse, cancel) => Task.FromResult(InputErrors.Guard(() => DemoRun.Execute(
            Defaults with { Minutes = parse.GetValue(Minutes), Out = parse.GetValue(Out), Seed = parse.GetValue(Seed) }, cancel))));
        return command;
    }
}
