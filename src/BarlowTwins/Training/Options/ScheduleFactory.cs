using BarlowTwins.Optim;

namespace BarlowTwins.Training.Options;

/// <summary>
/// Turns options into the per-step schedule. Its length is <see cref="PretrainOptions.Steps"/>, else
/// <see cref="PretrainOptions.Epochs"/> of batches, else what a time budget fits. Warm-up lasts
/// <see cref="PretrainOptions.WarmupEpochs"/>, but never more than a tenth of the run, so short runs
/// (<c>--steps 60</c>, a time budget, a test) still reach their peak rate and have a cosine to descend.
/// </summary>
public static class ScheduleFactory
{
    /// <summary>The schedule's length the options ask for; null under a time budget (fitted once timed).</summary>
    public static long? PlannedSteps(PretrainOptions options, int stepsPerEpoch) =>
        options.Minutes is not null ? null : options.Steps ?? (long)options.Epochs * stepsPerEpoch;

    /// <summary>Warm-up steps for a run of <paramref name="totalSteps"/>.</summary>
    public static long WarmupSteps(PretrainOptions options, int stepsPerEpoch, long totalSteps) =>
        Math.Min((long)Math.Round(options.WarmupEpochs * stepsPerEpoch), totalSteps / 10);

    /// <summary>The schedule the options plan, in words (for <c>pretrain --print-config</c>).</summary>
    public static string Describe(PretrainOptions options, int stepsPerEpoch)
    {
        string stop = options.MaxSteps is long max ? $"; the run stops at step {max} (--max-steps)" : "";
        if (PlannedSteps(options, stepsPerEpoch) is not long total)
            return $"schedule: fitted to {options.Minutes} minutes once steps {TimeBudget.SkipSteps + 1}–{TimeBudget.SkipSteps + TimeBudget.MeasureSteps} " +
                   $"are timed, re-fitted at the warm-up's end and every {TimeBudget.RefitSteps} steps of the cosine; warm-up {options.WarmupEpochs} epoch(s) of {stepsPerEpoch} steps, at most a tenth of the run{stop}";
        return $"schedule: {total} steps ({(double)total / stepsPerEpoch:0.##} epochs of {stepsPerEpoch}), warm-up {WarmupSteps(options, stepsPerEpoch, total)}, " +
               $"then a cosine to step {total}{stop}";
    }

    /// <summary>The schedule a run stands on: its length, warm-up and last re-plan as <paramref name="progress"/> records them.</summary>
    public static LearningRateSchedule Create(PretrainOptions options, TrainingProgress progress) =>
        Create(options, progress.TotalSteps, progress.WarmupSteps) with { ReplanStep = progress.ReplanStep, ReplanPhase = progress.ReplanPhase };

    /// <summary>The schedule of <paramref name="totalSteps"/> steps with <paramref name="warmupSteps"/> of warm-up.</summary>
    public static LearningRateSchedule Create(PretrainOptions options, long totalSteps, long warmupSteps) =>
        new(totalSteps, warmupSteps, options.BatchSize, options.WeightLr, options.BiasLr);
}
