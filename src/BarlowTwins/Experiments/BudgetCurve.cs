using System.Globalization;
using System.Text.Json.Nodes;
using System.Text;
using BarlowTwins.Evaluation;
using BarlowTwins.Training.Checkpoints;
using BarlowTwins.Training.Options;

namespace BarlowTwins.Experiments;

/// <summary>A recipe of the time-to-accuracy curve: a name and the JSON options over the preset (null: the preset itself).</summary>
public sealed record CurveRecipe(string Name, string? Config)
{
    /// <summary>Reads <c>NAME=CONFIG.json</c>, as on the command line.</summary>
    public static CurveRecipe Parse(string text)
    {
        int at = text.IndexOf('=');
        if (at <= 0 || at == text.Length - 1) throw new FormatException($"'{text}' is not a recipe: write NAME=CONFIG.json.");
        string config = text[(at + 1)..];
        if (!File.Exists(config)) throw new FileNotFoundException($"Recipe {text[..at]}: config file {config} does not exist.", config);
        return new CurveRecipe(text[..at], config);
    }
}

/// <summary>What <c>barlow curve</c> runs.</summary>
/// <param name="Recipes">Recipes to compare; the preset itself is always the first line.</param>
/// <param name="Minutes">Pre-training budgets, each its own run with the schedule fitted to it.</param>
/// <param name="Preset">Pre-training preset every recipe starts from.</param>
/// <param name="Data">Data spec of pre-training and evaluation.</param>
/// <param name="Seed">Seed of every run.</param>
/// <param name="Out">Folder of the runs, the table and the plot.</param>
public sealed record CurveOptions(IReadOnlyList<CurveRecipe> Recipes, IReadOnlyList<double> Minutes, string Preset = "fashion-mnist",
                                  string Data = "fashion-mnist", int Seed = 0, string Out = "runs/curve")
{
    /// <summary>The budgets issue 14 asks for, in minutes: <c>barlow curve</c>'s default.</summary>
    public static IReadOnlyList<double> DefaultMinutes { get; } = [5, 10, 15, 30];
}

/// <summary>One point of the curve: a recipe after a budget.</summary>
/// <param name="Recipe">The recipe's name.</param>
/// <param name="Minutes">The pre-training budget.</param>
/// <param name="Steps">Steps the budget bought.</param>
/// <param name="Probe">Linear-probe top-1 % (SPEC's protocol, cached features).</param>
/// <param name="Knn">200-NN top-1 %.</param>
public sealed record CurvePoint(string Recipe, double Minutes, long Steps, double Probe, double Knn);

/// <summary>
/// Time to accuracy: each recipe pre-trained for each budget (resumable; a finished run or
/// evaluation is read back, not redone), then SPEC's linear probe and the 200-NN on its backbone,
/// into OUT/curve.md, OUT/curve.json and OUT/curve.png.
/// </summary>
public static class BudgetCurve
{
    /// <summary>The name of the preset's own line.</summary>
    public const string Baseline = "preset";

    /// <summary>Runs every (recipe, budget) not yet done and returns all points, recipe by recipe.</summary>
    public static IReadOnlyList<CurvePoint> Run(CurveOptions options, Action<string> log, IProgress<EvalProgress>? progress = null)
    {
        var points = new List<CurvePoint>();
        foreach (var recipe in Recipes(options))
            foreach (double minutes in options.Minutes.Order())
            {
                var pretrain = RunOptions(options, recipe, minutes);
                log($"{recipe.Name}, {minutes:0.#} min → {pretrain.Out}");
                AblationPretraining.TrainOrReuse(pretrain, log);
                points.Add(Evaluate(recipe.Name, minutes, pretrain, progress));
                log($"  probe {points[^1].Probe:F2} %, 200-NN {points[^1].Knn:F2} % after {points[^1].Steps} steps");
            }
        Directory.CreateDirectory(options.Out);
        File.WriteAllText(Path.Combine(options.Out, "curve.md"), Markdown(points, options));
        File.WriteAllText(Path.Combine(options.Out, "curve.json"), EvalReport.Serialize(new { Options = options, Points = points }));
        BudgetCurvePlot.Write(points, Path.Combine(options.Out, "curve.png"));
        return points;
    }

    private static IEnumerable<CurveRecipe> Recipes(CurveOptions options) =>
        options.Recipes.Any(r => r.Name == Baseline) ? options.Recipes : options.Recipes.Prepend(new CurveRecipe(Baseline, null));

    private static PretrainOptions RunOptions(CurveOptions options, CurveRecipe recipe, double minutes)
    {
        var preset = PretrainPresets.Get(options.Preset);
        if (recipe.Config is { } config) preset = PretrainOptionsJson.Overlay(preset, File.ReadAllText(config), config);
        string folder = string.Create(CultureInfo.InvariantCulture, $"seed{options.Seed}-{minutes:0.##}min");
        return preset with
        {
            Data = options.Data,
            Minutes = minutes,
            Seed = options.Seed,
            Out = Path.Combine(options.Out, recipe.Name, folder),
        };
    }

    private static CurvePoint Evaluate(string recipe, double minutes, PretrainOptions run, IProgress<EvalProgress>? progress)
    {
        var target = new EvalTarget(run.Out, run.Data, Augment: run.Augment, Seed: (int)run.Seed);
        double probe = Read(target, "linear", "final") ?? EvalRuns.Linear(target, new LinearProbeOptions(), progress).Result.Final.Top1;
        double knn = Read(target, "knn", "accuracy") ?? EvalRuns.Knn(target, new KnnOptions(), progress).Result.Accuracy.Top1;
        return new CurvePoint(recipe, minutes, Steps(run), probe, knn);
    }

    /// <summary>The run's length: the newest checkpoint is written at its last step.</summary>
    private static long Steps(PretrainOptions run) =>
        new CheckpointStore(run.Out, run.KeepCheckpoints).Files() is [var newest, ..] ? CheckpointStore.StepOf(newest) : 0;

    /// <summary>Top-1 of an evaluation already written for this run (its JSON record), or null.</summary>
    private static double? Read(EvalTarget target, string protocol, string field)
    {
        string path = Path.Combine(target.OutputDirectory, target.FileStem(protocol) + ".json");
        if (!File.Exists(path)) return null;
        return JsonNode.Parse(File.ReadAllText(path))?["result"]?[field]?["top1"]?.GetValue<double>();
    }

    /// <summary>One row per budget, a probe and a 200-NN column per recipe.</summary>
    public static string Markdown(IReadOnlyList<CurvePoint> points, CurveOptions options)
    {
        var recipes = points.Select(p => p.Recipe).Distinct().ToList();
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Time to accuracy on {options.Data}, {options.Preset} preset, seed {options.Seed}: linear probe / 200-NN top-1 % (steps).");
        foreach (var recipe in options.Recipes.Where(r => r.Config is not null))
            text.AppendLine(CultureInfo.InvariantCulture, $"- {recipe.Name}: {File.ReadAllText(recipe.Config!).ReplaceLineEndings(" ").Trim()}");
        text.AppendLine();
        text.AppendLine("| minutes | " + string.Join(" | ", recipes) + " |");
        text.AppendLine("|---:|" + string.Concat(recipes.Select(_ => "---:|")));
        foreach (double minutes in points.Select(p => p.Minutes).Distinct().Order())
        {
            var cells = recipes.Select(r => points.FirstOrDefault(p => p.Recipe == r && p.Minutes == minutes) is { } p
                ? string.Create(CultureInfo.InvariantCulture, $"{p.Probe:F2} / {p.Knn:F2} ({p.Steps})") : "—");
            text.AppendLine(CultureInfo.InvariantCulture, $"| {minutes:0.##} | {string.Join(" | ", cells)} |");
        }
        return text.ToString();
    }
}
