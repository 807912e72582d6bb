using System.CommandLine;
using BarlowTwins.Data;
using BarlowTwins.Evaluation;
using BarlowTwins.Experiments;

namespace BarlowTwins.Cli.Commands;

/// <summary><c>barlow curve</c>: time to accuracy — each recipe pre-trained for each budget, then probed.</summary>
internal static class CurveCommand
{
    // The defaults, written once, in the options record; the flags show and override them.
    private static readonly CurveOptions Defaults = new([], []);

    public static Command Create()
    {
        var recipes = new Option<string[]>("--recipe")
        { Description = "NAME=CONFIG.json: a recipe over the preset (repeatable); the preset itself is always the first line", AllowMultipleArgumentsPerToken = true };
        var minutes = new Option<double[]>("--minutes")
        { Description = "Pre-training budgets", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [5, 10, 15, 30] };
        var preset = new Option<string>("--preset") { Description = "Pre-training preset every recipe starts from", DefaultValueFactory = _ => Defaults.Preset };
        var data = new Option<string>("--data") { Description = "Dataset: " + DataSpec.Help, DefaultValueFactory = _ => Defaults.Data };
        var seed = new Option<int>("--seed") { Description = "Seed of every run", DefaultValueFactory = _ => Defaults.Seed };
        var output = new Option<string>("--out") { Description = "Folder of the runs, curve.md, curve.json and curve.png", DefaultValueFactory = _ => Defaults.Out };
        var command = new Command("curve",
            "Time to accuracy: pre-train each recipe for each budget (resumable, finished runs reused), then the linear probe and 200-NN; " +
            "a table and a PNG of top-1 against minutes.");
        foreach (var option in new Option[] { recipes, minutes, preset, data, seed, output }) command.Options.Add(option);
        command.SetAction(parse => InputErrors.Guard(() =>
        {
            var options = new CurveOptions((parse.GetValue(recipes) ?? []).Select(CurveRecipe.Parse).ToList(), parse.GetValue(minutes)!,
                                           parse.GetValue(preset)!, parse.GetValue(data)!, parse.GetValue(seed), parse.GetValue(output)!);
            var points = BudgetCurve.Run(options, Console.WriteLine, new ConsoleProgress());
            Console.WriteLine(BudgetCurve.Markdown(points, options));
            Console.WriteLine($"→ {Path.Combine(options.Out, "curve.md")}, curve.png");
            return 0;
        }));
        return command;
    }
}
