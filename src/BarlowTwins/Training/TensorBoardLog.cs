namespace BarlowTwins.Training;

/// <summary>Logged steps and epochs as TensorBoard scalars in OUT/tensorboard (<c>tensorboard --logdir OUT/tensorboard</c>).</summary>
public sealed class TensorBoardLog(string runDirectory) : ITrainingObserver
{
    private readonly TensorBoardEvents _events = new(new RunFolder(runDirectory).TensorBoard);

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
        _events.Scalars(report.Progress.GlobalStep, values);
    }

    /// <inheritdoc />
    public void OnEpoch(EpochReport report)
    {
        var values = new List<(string, double)> { ("epoch/loss", report.MeanLoss), ("epoch/rss_mb", report.ResidentMegabytes) };
        if (report.Monitor is double knn) values.Add(("epoch/knn_top1", knn));
        _events.Scalars(report.Progress.GlobalStep, values);
    }

    /// <inheritdoc />
    public void Dispose() => _events.Dispose();
}
