using System.Globalization;
using BarlowTwins.Training;
using BarlowTwins.Training.Output;

namespace BarlowTwins.Cli.Runs;

/// <summary>One-line summaries of steps and epochs, shared by the progress bar and the plain log.</summary>
internal static class StepText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Step(StepReport r, CollapseDiagnostics? lastDiagnostics)
    {
        var p = r.Progress;
        string end = r.EndStep > 0 ? r.EndStep.ToString(Invariant) : "?";
        if (r.EndStep > 0 && p.TotalSteps > r.EndStep) end += string.Create(Invariant, $" of {p.TotalSteps}"); // --max-steps stops early
        string text = string.Create(Invariant,
            $"epoch {p.Epoch + 1} step {p.GlobalStep}/{end} loss {r.Step.Loss:0.###} (inv {r.Step.Invariance:0.###} red {r.Step.Redundancy:0.###}) " +
            $"lr {Rate(r.WeightLr)} {r.ImagesPerSecond:0} img/s ETA {Eta(r.EtaSeconds)}");
        if (lastDiagnostics is { } d)
            text += string.Create(Invariant, $" diagC {d.DiagonalMean:0.###} offRMS {d.OffDiagonalRms:0.####} rank {d.EffectiveRank:0.#}");
        if (p.SkippedSteps > 0) text += $" skipped {p.SkippedSteps}";
        return text;
    }

    public static string Epoch(EpochReport e)
    {
        string text = string.Create(Invariant,
            $"epoch {e.Epoch + 1} done: loss {e.MeanLoss:0.###} {e.ImagesPerSecond:0} img/s {e.Seconds:0}s RSS {e.ResidentMegabytes:0} MB");
        return e.Monitor is double knn ? text + string.Create(Invariant, $" k-NN top-1 {knn:0.0} %") : text;
    }

    // Three significant digits, not four decimals: the cosine ends at 0.001 of the peak, which four
    // decimals showed as "lr 0" for a small batch's rate, so the end of a --steps run was invisible.
    internal static string Rate(double lr) => lr.ToString("G3", Invariant).Replace("E", "e", StringComparison.Ordinal);

    private static string Eta(double seconds) =>
        double.IsFinite(seconds) ? TimeSpan.FromSeconds(Math.Round(seconds)).ToString(seconds >= 3600 ? @"h\:mm\:ss" : @"m\:ss", Invariant) : "?";
}
