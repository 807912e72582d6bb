using BarlowTwins.Optim;

namespace BarlowTwins.Training;

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

    /// <summary>The schedule of <paramref name="totalSteps"/> steps with <paramref name="warmupSteps"/> of warm-up.</summary>
    public static LearningRateSchedule Create(PretrainOptions options, long totalSteps, long warmupSteps) =>
        new(totalSteps, warmupSteps, options.BatchSize, options.WeightLr, options.BiasLr);
}
