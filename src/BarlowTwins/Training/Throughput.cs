using System.Diagnostics;

namespace BarlowTwins.Training;

/// <summary>Wall-clock time between steps (data waiting included), smoothed for display and ETA.</summary>
internal sealed class Throughput
{
    private const double Smoothing = 0.1;
    private readonly Stopwatch _lap = Stopwatch.StartNew();

    /// <summary>Recent images per second.</summary>
    public double ImagesPerSecond { get; private set; }

    /// <summary>Recent seconds per step.</summary>
    public double SecondsPerStep { get; private set; }

    /// <summary>Ends a step of <paramref name="images"/> images; returns its seconds.</summary>
    public double Lap(long images)
    {
        double seconds = _lap.Elapsed.TotalSeconds;
        _lap.Restart();
        SecondsPerStep = SecondsPerStep == 0 ? seconds : SecondsPerStep + Smoothing * (seconds - SecondsPerStep);
        ImagesPerSecond = SecondsPerStep > 0 ? images / SecondsPerStep : 0;
        return seconds;
    }
}
