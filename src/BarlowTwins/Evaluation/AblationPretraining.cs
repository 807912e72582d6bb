using BarlowTwins.Training;
using BarlowTwins.Models;

namespace BarlowTwins.Evaluation;

/// <summary>The pre-training behind each ablation row: the one place the ablation meets the trainer.</summary>
public static class AblationPretraining
{
    /// <summary>
    /// Pre-trains the backbone of <paramref name="case"/> into <paramref name="runDirectory"/> with
    /// the <see cref="AblationOptions.Preset"/> pre-training preset, changed only in λ, projector,
    /// batch, budget, data and seed. A finished run in that folder is reused, not trained again.
    /// </summary>
    /// <exception cref="NotSupportedException">Redundancy-only: the trainer's loss has no switch to drop the invariance term.</exception>
    public static ResNet Pretrain(AblationCase @case, AblationOptions options, string runDirectory, Action<string>? log = null)
    {
        if (@case.Loss == LossTerms.RedundancyOnly)
            throw new NotSupportedException("not run: the trainer's loss (invariance + λ·redundancy) cannot drop the invariance term");
        if (!File.Exists(Path.Combine(runDirectory, BackboneExport.FileName)))
        {
            var pretrain = PretrainPresets.Get(options.Preset) with
            {
                Data = options.Data,
                Lambda = @case.Lambda,
                Projector = @case.Projector,
                BatchSize = @case.BatchSize,
                Minutes = options.Minutes,
                Seed = options.Seed,
                Out = runDirectory,
            };
            var data = PretrainingData.Open(pretrain, log ?? (_ => { }));
            using var trainer = new Pretrainer(pretrain.Validated(), data, [new LineObserver(log ?? (_ => { }))]);
            trainer.Run();
        }
        return EvalBackbone.ReadRun(runDirectory).Backbone;
    }

    /// <summary>Epoch summaries and the trainer's messages as plain lines.</summary>
    private sealed class LineObserver(Action<string> log) : ITrainingObserver
    {
        public void OnEpoch(EpochReport report) =>
            log($"  epoch {report.Epoch + 1}: loss {report.MeanLoss:F2}, {report.ImagesPerSecond:F0} img/s");

        public void OnMessage(string message) => log("  " + message);
    }
}
