using System.CommandLine;
using BarlowTwins.Cli.Runs;
using BarlowTwins.Data;
using BarlowTwins.Evaluation;
using BarlowTwins.Experiments;

namespace BarlowTwins.Cli.Commands;

/// <summary><c>barlow curve</c>: time to accuracy — each recipe pre-trained for each budget, then probed.</summary>
internal static class CurveCommand
{
    // The defaults, written once, in the options record; the flags show and override them.
    private static readonly CurveOptions Defaults = new([], []);

    private static readonly Option<string[]> Recipes = new("--recipe")
    { Description = "NAME=CONFIG.json: a recipe over the preset (repeatable); the preset itself is always the first line", AllowMultipleArgumentsPerToken = true };
    private static readonly Option<double[]> Minutes = new("--minutes")
    { Description = "Pre-training budgets", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [.. CurveOptions.DefaultMinutes] };
    private static readonly Option<string> Preset = new("--preset") { Description = "Pre-training preset every recipe starts from", DefaultValueFactory = _ => Defaults.Preset };
    private static readonly Option<string> Data = new("--data") { Description = "Dataset: " + DataSpec.Help, DefaultValueFactory = _ => Defaults.Data };
    private static readonly Option<int> Seed = new("--seed") { Description = "Seed of every run", DefaultValueFactory = _ => Defaults.Seed };
    private static readonly Option<string> Output = new("--out") { Description = "Folder of the runs, curve.md, curve.json and curve.png", DefaultValueFactory = _ => Defaults.Out };

    public static Command Create()
    {
        var command = new Command("curve",
            "Time to accuracy: pre-train each recipe for each budget (resumable, finished runs reused), then the linear probe and 200-NN; " +
            "a table and a PNG of top-1 against minutes.");
        foreach (var option in new Option[] { Recipes, Minutes, Preset, Data, Seed, Output }) command.Options.Add(option);
        command.SetAction(parse => InputErrors.Guard(() =>
        {
            var options = Read(parse);
            var points = BudgetCurve.Run(options, Console.WriteLine, new ConsoleProgress());
            Console.WriteLine(BudgetCurve.Markdown(points, options));
            Console.WriteLine($"→ {Path.Combine(options.Out, "curve.md")}, curve.png");
            return 0;
        }));
        return command;
    }

    /// <summary>The options that the flags of <c>curve</c> set.</summary>
    internal static CurveOptions Read(ParseResult parse) =>
        new((parse.GetValue(Recipes) ?? []).Select(CurveRecipe.Parse).ToList(), parse.GetValue(Minutes)!, parse.GetValue(Preset)!, parse.GetValue(Data)!,
            parse.GetValue(Seed), parse.GetValue(Output)!);
}
