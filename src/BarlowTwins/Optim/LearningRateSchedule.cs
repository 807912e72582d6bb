namespace BarlowTwins.Optim;

/// <summary>
/// The authors' per-step schedule: linear warm-up from 0 over <see cref="WarmupSteps"/>, then a
/// half cosine from the base rate down to base × <see cref="FinalFactor"/> at <see cref="TotalSteps"/>.
/// The base rate is batch/256, times <see cref="WeightRate"/> for weights and
/// <see cref="BiasRate"/> for biases and BN parameters.
/// </summary>
public sealed record LearningRateSchedule(
    long TotalSteps,
    long WarmupSteps,
    int BatchSize,
    double WeightRate = 0.2,
    double BiasRate = 0.0048,
    double FinalFactor = 0.001)
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
        double q = 0.5 * (1 + Math.Cos(Math.PI * (step - WarmupSteps) / (TotalSteps - WarmupSteps)));
        double end = peak * FinalFactor;
        return peak * q + end * (1 - q);
    }

    /// <summary>(weights, biases) learning rates at <paramref name="step"/>.</summary>
    public (double Weights, double Biases) At(long step)
    {
        double m = Multiplier(step);
        return (m * WeightRate, m * BiasRate);
    }
}
