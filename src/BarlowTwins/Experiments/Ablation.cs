using System.Globalization;
using System.Text;
using BarlowTwins.Data;
using BarlowTwins.Evaluation;
using BarlowTwins.Models;
using RunFiles = BarlowTwins.Training.RunFolder;

namespace BarlowTwins.Experiments;

/// <summary>One row of the ablation table.</summary>
/// <param name="Case">The configuration.</param>
/// <param name="Top1">Linear-probe top-1 (%), or null when the run could not be made.</param>
/// <param name="Top5">Linear-probe top-5 (%), or null.</param>
/// <param name="Seconds">Pre-training plus probe wall time.</param>
/// <param name="Note">Why a row is empty, or a remark ("shared with …").</param>
public sealed record AblationRow(AblationCase Case, double? Top1, double? Top5, double Seconds, string Note = "");

/// <summary>
/// Runs an ablation plan: for each distinct configuration a short pre-training (through the given
/// delegate, so this driver does not depend on the trainer) and a linear probe, into one table.
/// </summary>
public static class Ablation
{
    /// <summary>
    /// Pre-trains each distinct case with <paramref name="pretrain"/> (which returns the trained
    /// backbone, or throws <see cref="NotSupportedException"/> for a case the trainer cannot run)
    /// and measures it with <paramref name="probe"/>. Cases with equal settings share one run.
    /// </summary>
    public static IReadOnlyList<AblationRow> Run(IReadOnlyList<AblationCase> cases, Func<AblationCase, ResNet> pretrain,
                                                 Func<ResNet, ProbeResult> probe, IProgress<EvalProgress>? progress = null)
    {
        var done = new Dictionary<string, AblationRow>();
        var rows = new List<AblationRow>();
        foreach (var (@case, index) in cases.Select((c, i) => (c, i)))
        {
            if (done.TryGetValue(@case.Key, out var shared))
            {
                rows.Add(shared with { Case = @case, Note = $"same run as {shared.Case.Group}: {shared.Case.Name}" });
                continue;
            }
            var row = RunOne(@case, pretrain, probe);
            done[@case.Key] = row;
            rows.Add(row);
            progress?.Report(new EvalProgress("ablation", index + 1, cases.Count,
                                              $"{@case.Group}: {@case.Name} → {row.Top1?.ToString("F2", CultureInfo.InvariantCulture) ?? row.Note}"));
        }
        return rows;
    }

    private static AblationRow RunOne(AblationCase @case, Func<AblationCase, ResNet> pretrain, Func<ResNet, ProbeResult> probe)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            using var backbone = pretrain(@case);
            var result = probe(backbone);
            return new AblationRow(@case, result.Final.Top1, result.Final.Top5, clock.Elapsed.TotalSeconds);
        }
        catch (NotSupportedException e)
        {
            return new AblationRow(@case, null, null, clock.Elapsed.TotalSeconds, e.Message);
        }
    }

    /// <summary>
    /// Runs the plan of <paramref name="options"/>, probing every backbone on the options' data
    /// (cached features, <see cref="AblationOptions.ProbeEpochs"/> epochs), and writes
    /// OUT/ablation.md and OUT/ablation.json. <paramref name="pretrain"/> gets each case and the
    /// folder for its run. The files the probe's data left out go to <paramref name="log"/> (the first
    /// few; all of them in OUT/skipped-files.txt when there are more) and their count to the JSON.
    /// </summary>
    public static (IReadOnlyList<AblationRow> Rows, string MarkdownPath) RunAndWrite(
        AblationOptions options, Func<AblationCase, string, ResNet> pretrain, IProgress<EvalProgress>? progress = null,
        Action<string>? log = null)
    {
        var target = new EvalTarget("ablation", options.Data, options.Out, Seed: options.Seed, Quick: options.Quick);
        var probeOptions = new LinearProbeOptions(Epochs: options.ProbeEpochs, Seed: options.Seed);
        probeOptions.Validate();
        var (data, _) = EvalRuns.Open(target, TorchSharp.torch.CPU);
        var skipped = data.Skipped ?? new DataReport();
        // Told before the hours of pre-training, not after them.
        if (skipped.Publish(Path.Combine(options.Out, RunFiles.SkippedListFileName)) is { Length: > 0 } summary) log?.Invoke(summary);
        var warnings = SmallData.Warnings(data);
        foreach (var warning in warnings) log?.Invoke(EvalRuns.WarningLine(warning));
        var cases = AblationPlan.Cases(options);
        var rows = Run(cases, c => pretrain(c, Path.Combine(options.Out, RunFolder(c))),
                       backbone => LinearProbe.Run(ChannelAdapter.ForData(backbone, data.Train.Channels), data, probeOptions),
                       progress);
        Directory.CreateDirectory(options.Out);
        string markdown = Path.Combine(options.Out, "ablation.md");
        File.WriteAllText(markdown, Markdown(rows, options));
        File.WriteAllText(Path.Combine(options.Out, "ablation.json"),
                          EvalReport.Serialize(new { Options = options, SkippedFiles = skipped.SkippedCount, Warnings = warnings, Rows = rows }));
        return (rows, markdown);
    }

    private static string RunFolder(AblationCase c) =>
        string.Concat($"{c.Loss}-lambda{c.Lambda}-proj{c.Projector}-batch{c.BatchSize}".Select(ch => char.IsLetterOrDigit(ch) || ch is '-' or '.' ? ch : '_'));

    /// <summary>The table in Markdown: group, setting, top-1, top-5, time, note.</summary>
    public static string Markdown(IReadOnlyList<AblationRow> rows, AblationOptions options)
    {
        var text = new StringBuilder();
        string start = options.Config is null ? $"the {options.Preset} preset"
            : $"the {options.Preset} preset overlaid with {File.ReadAllText(options.Config).Trim()}";
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Ablations on {options.Data}: {options.Budget} of pre-training per run from {start}, linear probe {options.ProbeEpochs} epochs " +
            $"(cached features), seed {options.Seed}. Baseline: λ {options.Lambda}, projector {options.Projector}, batch {options.BatchSize}.");
        text.AppendLine();
        text.AppendLine("| study | setting | top-1 % | top-5 % | time (s) | note |");
        text.AppendLine("|---|---|---:|---:|---:|---|");
        foreach (var row in rows)
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {row.Case.Group} | {row.Case.Name} | {Cell(row.Top1)} | {Cell(row.Top5)} | {row.Seconds:F0} | {row.Note} |");
        return text.ToString();
    }

    private static string Cell(double? value) => value?.ToString("F2", CultureInfo.InvariantCulture) ?? "—";
}
