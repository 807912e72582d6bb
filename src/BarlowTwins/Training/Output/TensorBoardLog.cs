using BarlowTwins.Training.Options;

namespace BarlowTwins.Training.Output;

/// <summary>
/// Logged steps and epochs as TensorBoard scalars in OUT/tensorboard (<c>tensorboard --logdir OUT/tensorboard</c>).
/// The event file is created when the run starts, not with the sink: a start the trainer refuses
/// (a resume with other options) must leave the run folder as it was.
/// </summary>
public sealed class TensorBoardLog(string runDirectory) : ITrainingObserver
{
    private TensorBoardEvents? _events;

    /// <inheritdoc />
    public void OnStart(PretrainOptions options, TrainingProgress progress, bool resumed) =>
        _events ??= new TensorBoardEvents(new RunFolder(runDirectory).TensorBoard);

    /// <inheritdoc />
    public void OnStep(StepReport report)
    {
        if (!report.IsLogged) return;
        var s = report.Step;
        var values = new List<(string, double)>
        {
            ("loss/total", s.Loss), ("loss/invariance", s.Invariance), ("loss/redundancy", s.Redundancy),
            ("optim/lr_weights", report.WeightLr), ("optim/grad_norm", s.GradientNorm),
            ("speed/images_per_s", report.ImagesPerSecond),
        };
        if (s.Diagnostics is { } d)
            values.AddRange([("collapse/diag_mean", d.DiagonalMean), ("collapse/offdiag_rms", d.OffDiagonalRms),
                             ("collapse/effective_rank", d.EffectiveRank)]);
        _events?.Scalars(report.Progress.GlobalStep, values);
    }

    /// <inheritdoc />
    public void OnEpoch(EpochReport report)
    {
        var values = new List<(string, double)> { ("epoch/loss", report.MeanLoss), ("epoch/rss_mb", report.ResidentMegabytes) };
        if (report.Monitor is double knn) values.Add(("epoch/knn_top1", knn));
        _events?.Scalars(report.Progress.GlobalStep, values);
    }

    /// <inheritdoc />
    public void Dispose() => _events?.Dispose();
}
