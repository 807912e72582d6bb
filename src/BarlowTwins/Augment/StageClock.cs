namespace BarlowTwins.Augment;

/// <summary>
/// Accumulates time per named stage of the per-image pipeline (for <c>barlow bench augment</c>'s
/// breakdown): each <see cref="Lap"/> charges the time since the previous lap to its stage. One
/// clock per thread; the pipeline takes null when not profiling.
/// </summary>
/// <param name="now">The time source in seconds (the bench passes this thread's CPU time).</param>
internal sealed class StageClock(Func<double> now)
{
    private readonly Dictionary<string, double> _seconds = [];
    private double _last = now();

    /// <summary>Stage names in the order first seen, with their total seconds.</summary>
    public IEnumerable<(string Stage, double Seconds)> Totals => _seconds.Select(pair => (pair.Key, pair.Value));

    /// <summary>Starts timing from now without charging any stage.</summary>
    public void Restart() => _last = now();

    /// <summary>Charges the time since the last lap to <paramref name="stage"/>.</summary>
    public void Lap(string stage)
    {
        double time = now();
        _seconds[stage] = _seconds.GetValueOrDefault(stage) + time - _last;
        _last = time;
    }
}
