using BarlowTwins.Optim;

namespace BarlowTwins.Training;

/// <summary>
/// Turns options into the per-step schedule. Warm-up lasts <see cref="PretrainOptions.WarmupEpochs"/>,
/// but never more than a tenth of the run, so short runs (a time budget, a test) still reach
/// their peak rate and have a cosine to descend.
/// </summary>
public static class ScheduleFactory
{
    /// <summary>Warm-up steps for a run of <paramref name="totalSteps"/>.</summary>
    public static long WarmupSteps(PretrainOptions options, int stepsPerEpoch, long totalSteps) =>
        Math.Min((long)Math.Round(options.WarmupEpochs * stepsPerEpoch), totalSteps / 10);

    /// <summary>The schedule of <paramref name="totalSteps"/> steps with <paramref name="warmupSteps"/> of warm-up.</summary>
    public static LearningRateSchedule Create(PretrainOptions options, long totalSteps, long warmupSteps) =>
        new(totalSteps, warmupSteps, options.BatchSize, options.WeightLr, options.BiasLr);
}
