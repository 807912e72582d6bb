using System.Text.Json.Nodes;
using BarlowTwins.Training.Precision;

namespace BarlowTwins.Training.Options;

/// <summary>
/// Which options may change when a run resumes: those that do not change what is computed
/// (where to stop, where to run, how often to save or log), and the run's length, which may be
/// raised (<see cref="Extend"/>). Anything else would silently turn the resumed run into a
/// different experiment, so it is refused.
/// </summary>
public static class ResumeRules
{
    /// <summary>Keys that set the schedule's length: compared by <see cref="Extend"/>, not <see cref="Conflicts"/>.</summary>
    public static IReadOnlySet<string> LengthKeys { get; } = new HashSet<string> { "epochs", "steps", "minutes" };

    /// <summary>Option keys (flag names) a resumed run may change.</summary>
    public static IReadOnlySet<string> Changeable { get; } = new HashSet<string>
    {
        "max-steps", "device", "channels-last", "workers", "checkpoint-minutes", "keep-checkpoints", "max-skipped-steps", "knn-every", "log-every", "out",
    };

    /// <summary>Keys whose values differ between <paramref name="saved"/> and <paramref name="requested"/> and may not.</summary>
    public static IReadOnlyList<string> Conflicts(PretrainOptions saved, PretrainOptions requested)
    {
        requested = WithRecordedPrecision(saved, requested);
        var a = JsonNode.Parse(PretrainOptionsJson.Write(saved))!.AsObject();
        var b = JsonNode.Parse(PretrainOptionsJson.Write(requested))!.AsObject();
        return a.Where(p => !Changeable.Contains(p.Key) && !LengthKeys.Contains(p.Key) && !JsonNode.DeepEquals(p.Value, b[p.Key]))
                .Select(p => $"{p.Key} (checkpoint: {p.Value?.ToJsonString() ?? "null"}, now: {b[p.Key]?.ToJsonString() ?? "null"})")
                .ToList();
    }

    /// <summary>
    /// Where a resumed run stands when <paramref name="requested"/> asks for a longer run than
    /// <paramref name="saved"/> (<c>--steps</c> or <c>--epochs</c> raised): the same step, with
    /// the schedule's end moved to the new length and the warm-up kept. From the current step on,
    /// the rates are those of a run planned for the new length from the start (its cosine, at this
    /// step), so the run ends as such a run would; the steps already done keep the rates they had.
    /// The rate jumps up to that cosine at the current step (a finished run restarts from the rate
    /// the longer schedule has there). Unchanged length: <paramref name="progress"/> as it is.
    /// </summary>
    /// <exception cref="ArgumentException">The length shrinks, or changes to or within a time budget.</exception>
    public static TrainingProgress Extend(TrainingProgress progress, PretrainOptions saved, PretrainOptions requested)
    {
        if (SameLength(saved, requested)) return progress;
        if (requested.Minutes is not null)
            throw new ArgumentException(
                "a resumed run's length changes with --steps or --epochs, not --minutes: the time budget was fitted when the run started.");
        long total = ScheduleFactory.PlannedSteps(requested, progress.StepsPerEpoch)!.Value;
        long floor = Math.Max(progress.TotalSteps, progress.GlobalStep + 1);
        if (total < floor)
        {
            string schedule = progress.TotalSteps > 0 ? $"a {progress.TotalSteps}-step schedule" : "a time budget not yet fitted";
            throw new ArgumentException(
                $"a resumed run's length can only be raised: the run is at step {progress.GlobalStep} of {schedule} and " +
                $"the options ask for {total} steps. Stop earlier with --max-steps, or start another --out.");
        }
        long warmup = progress.TotalSteps > 0 ? progress.WarmupSteps : ScheduleFactory.WarmupSteps(requested, progress.StepsPerEpoch, total);
        return progress with { TotalSteps = total, WarmupSteps = warmup, ReplanStep = 0, ReplanPhase = 0 };
    }

    private static bool SameLength(PretrainOptions a, PretrainOptions b) =>
        a.Epochs == b.Epochs && a.Steps == b.Steps && a.Minutes == b.Minutes;

    /// <summary>
    /// <paramref name="requested"/>, with <see cref="Precisions.Auto"/> replaced by the precision the
    /// run measured and recorded in <paramref name="saved"/>: re-measuring could choose the other one
    /// and end the bit-exact continuation.
    /// </summary>
    public static PretrainOptions WithRecordedPrecision(PretrainOptions saved, PretrainOptions requested) =>
        requested.Precision == Precisions.Auto ? requested with { Precision = saved.Precision } : requested;
}
