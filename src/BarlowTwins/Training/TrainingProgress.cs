namespace BarlowTwins.Training;

/// <summary>
/// Where a run stands, saved in every checkpoint: enough to continue exactly where it stopped.
/// </summary>
/// <param name="GlobalStep">Updates done so far (the schedule's position).</param>
/// <param name="Epoch">Epoch of the next batch (0-based).</param>
/// <param name="BatchInEpoch">Index of the next batch within <see cref="Epoch"/>.</param>
/// <param name="StepsPerEpoch">Batches per epoch, to check the data did not change on resume.</param>
/// <param name="TotalSteps">Length of the schedule; 0 while a time budget is still being measured.</param>
/// <param name="WarmupSteps">Warm-up length of the schedule.</param>
/// <param name="SkippedSteps">Steps whose update was skipped because of NaN/Inf.</param>
/// <param name="TrainingSeconds">Wall-clock seconds spent in steps, summed over resumes.</param>
/// <param name="ReplanStep">Step of the last re-plan of a time budget's cosine (0: none; <see cref="Optim.LearningRateSchedule.ReplanStep"/>).</param>
/// <param name="ReplanPhase">The cosine's phase at <paramref name="ReplanStep"/>.</param>
public sealed record TrainingProgress(
    long GlobalStep,
    int Epoch,
    int BatchInEpoch,
    int StepsPerEpoch,
    long TotalSteps,
    long WarmupSteps,
    long SkippedSteps,
    double TrainingSeconds,
    long ReplanStep = 0,
    double ReplanPhase = 0)
{
    /// <summary>True once the schedule is fixed and fully run.</summary>
    public bool IsComplete => TotalSteps > 0 && GlobalStep >= TotalSteps;

    /// <summary>
    /// The step the run stops at: the schedule's end, or <paramref name="maxSteps"/> when that comes
    /// first (or the schedule is not fixed yet); 0 while neither is known.
    /// </summary>
    public long EndStep(long? maxSteps) =>
        maxSteps is long max && (TotalSteps == 0 || max < TotalSteps) ? max : TotalSteps;
}
