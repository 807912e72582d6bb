using System.Diagnostics;
using BarlowTwins.Training.Output;

namespace BarlowTwins.Training;

/// <summary>Sums an epoch's steps into an <see cref="EpochReport"/>.</summary>
internal sealed class EpochTally(int epoch)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private double _loss, _invariance, _redundancy;
    private long _steps, _images;

    public int Epoch { get; } = epoch;

    public void Add(StepReport report)
    {
        _images += report.Images;
        if (report.Step.Skipped) return;
        _loss += report.Step.Loss;
        _invariance += report.Step.Invariance;
        _redundancy += report.Step.Redundancy;
        _steps++;
    }

    public EpochReport Report(TrainingProgress progress, double? monitor)
    {
        double seconds = _clock.Elapsed.TotalSeconds;
        double n = _steps > 0 ? _steps : double.NaN; // every step skipped: there is no mean loss
        return new EpochReport(Epoch, progress, _loss / n, _invariance / n, _redundancy / n,
                               seconds > 0 ? _images / seconds : 0, seconds,
                               Environment.WorkingSet / 1048576.0, GC.GetTotalMemory(false) / 1048576.0, monitor);
    }
}
