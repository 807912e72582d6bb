namespace BarlowTwins.Training;

/// <summary>
/// Fits the schedule to a time budget: skips the first <see cref="SkipSteps"/> steps of a
/// process (allocator and loader warm-up), times the steps after them, and on <see cref="Fit"/>
/// sets the total at the steps done plus the remaining budget divided by the mean time of the
/// steps timed since the last fit, less a <see cref="Margin"/> for epoch-end checkpoints and
/// monitoring. The trainer fits when the first steps are timed, at the end of the warm-up and
/// every <see cref="RefitSteps"/> steps of the cosine after it, because steps keep getting faster
/// for a while (docs/results.md, "The budget fit, corrected").
/// </summary>
internal sealed class TimeBudget(double seconds)
{
    public const int SkipSteps = 3;
    public const int MeasureSteps = 10;
    public const double Margin = 0.03;
    public const int RefitSteps = 50;

    private int _seen;
    private int _timed;
    private double _timedSeconds;

    /// <summary>The budget in seconds.</summary>
    public double Seconds { get; } = seconds;

    /// <summary>Seconds per step at the last fit (0 until then).</summary>
    public double SecondsPerStep { get; private set; }

    /// <summary>Whether at least <see cref="MeasureSteps"/> steps were timed since the last fit.</summary>
    public bool Measured => _timed >= MeasureSteps;

    /// <summary>Records the duration of one step of this process.</summary>
    public void Time(double stepSeconds)
    {
        if (++_seen <= SkipSteps) return;
        _timed++;
        _timedSeconds += stepSeconds;
    }

    /// <summary>The schedule's total steps for the rest of the budget; timing restarts.</summary>
    public long Fit(long globalStep, double trainingSeconds)
    {
        if (_timed == 0) throw new InvalidOperationException("No step was timed since the last fit.");
        SecondsPerStep = _timedSeconds / _timed;
        _timed = 0;
        _timedSeconds = 0;
        double remaining = Seconds * (1 - Margin) - trainingSeconds;
        return globalStep + Math.Max(1, (long)(remaining / SecondsPerStep));
    }
}
