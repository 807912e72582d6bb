namespace BarlowTwins.Optim;

/// <summary>
/// The authors' per-step schedule: linear warm-up from 0 over <see cref="WarmupSteps"/>, then a
/// half cosine from the base rate down to base × <see cref="FinalFactor"/> at <see cref="TotalSteps"/>.
/// The base rate is batch/256, times <see cref="WeightRate"/> for weights and
/// <see cref="BiasRate"/> for biases and BN parameters.
/// </summary>
/// <remarks>
/// A time budget can move the end while the cosine runs (<see cref="Replanned"/>). The cosine then
/// continues from the position it had reached, <see cref="ReplanPhase"/> at <see cref="ReplanStep"/>,
/// and covers the rest of its half period in the new number of steps: the rate never jumps. Without a
/// re-plan (<see cref="ReplanStep"/> 0) the position is (step − warm-up) / (total − warm-up), the paper's.
/// </remarks>
public sealed record LearningRateSchedule(
    long TotalSteps,
    long WarmupSteps,
    int BatchSize,
    double WeightRate = 0.2,
    double BiasRate = 0.0048,
    double FinalFactor = 0.001,
    long ReplanStep = 0,
    double ReplanPhase = 0)
{
    /// <summary>The paper's schedule: <paramref name="warmupEpochs"/> (10) epochs of warm-up.</summary>
    public static LearningRateSchedule ForEpochs(int epochs, long stepsPerEpoch, int batchSize,
                                                 double weightRate = 0.2, double biasRate = 0.0048,
                                                 int warmupEpochs = 10) =>
        new(epochs * stepsPerEpoch, warmupEpochs * stepsPerEpoch, batchSize, weightRate, biasRate);

    /// <summary>The shared multiplier at <paramref name="step"/> (batch/256 at the peak).</summary>
    public double Multiplier(long step)
    {
        double peak = BatchSize / 256.0;
        if (step < WarmupSteps) return peak * step / WarmupSteps;
        double q = 0.5 * (1 + Math.Cos(CosineAngle(step)));
        double end = peak * FinalFactor;
        return peak * q + end * (1 - q);
    }

    /// <summary>(weights, biases) learning rates at <paramref name="step"/>.</summary>
    public (double Weights, double Biases) At(long step)
    {
        double m = Multiplier(step);
        return (m * WeightRate, m * BiasRate);
    }

    /// <summary>How far the cosine has run at <paramref name="step"/>: 0 at its start, 1 at <see cref="TotalSteps"/>.</summary>
    public double CosinePhase(long step) => CosineAngle(step) / Math.PI;

    // π × the phase, computed without a re-plan exactly as before re-plans existed (same rounding).
    private double CosineAngle(long step) =>
        ReplanStep <= WarmupSteps
            ? Math.PI * (step - WarmupSteps) / (TotalSteps - WarmupSteps)
            : Math.PI * (ReplanPhase + (1 - ReplanPhase) * (step - ReplanStep) / (TotalSteps - ReplanStep));

    /// <summary>
    /// This schedule with its end moved to <paramref name="totalSteps"/> at <paramref name="step"/>:
    /// the rate at <paramref name="step"/> is unchanged, and the cosine covers the rest of its way in
    /// the new number of steps. In the warm-up only the end moves.
    /// </summary>
    public LearningRateSchedule Replanned(long step, long totalSteps)
    {
        if (totalSteps <= step) throw new ArgumentOutOfRangeException(nameof(totalSteps), $"the new end {totalSteps} is not after step {step}.");
        return step <= WarmupSteps
            ? this with { TotalSteps = totalSteps }
            : this with { TotalSteps = totalSteps, ReplanStep = step, ReplanPhase = CosinePhase(step) };
    }
}
