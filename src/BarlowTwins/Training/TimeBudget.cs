namespace BarlowTwins.Training;

/// <summary>
/// Fits the schedule to a time budget: skips the first <see cref="SkipSteps"/> steps of a
/// process (allocator and loader warm-up), times the next <see cref="MeasureSteps"/>, then
/// fixes the total at the steps done plus the remaining budget divided by the measured step
/// time, less a <see cref="Margin"/> for epoch-end checkpoints and monitoring.
/// </summary>
internal sealed class TimeBudget(double seconds)
{
    public const int SkipSteps = 3;
    public const int MeasureSteps = 10;
    public const double Margin = 0.03;

    private int _observed;
    private double _measured;

    /// <summary>The budget in seconds.</summary>
    public double Seconds { get; } = seconds;

    /// <summary>Measured seconds per step (0 until measured).</summary>
    public double SecondsPerStep { get; private set; }

    /// <summary>Records a step; returns the fitted total once enough steps were timed.</summary>
    public long? Observe(double stepSeconds, long globalStep, double trainingSeconds)
    {
        _observed++;
        if (_observed <= SkipSteps) return null;
        _measured += stepSeconds;
        if (_observed < SkipSteps + MeasureSteps) return null;
        SecondsPerStep = _measured / MeasureSteps;
        double remaining = Seconds * (1 - Margin) - trainingSeconds;
        return globalStep + Math.Max(1, (long)(remaining / SecondsPerStep));
    }
}
