using BarlowTwins.Evaluation;
using BarlowTwins.Models;
using BarlowTwins.Training;
using BarlowTwins.Training.Options;
using BarlowTwins.Training.Output;

namespace BarlowTwins.Experiments;

/// <summary>The pre-training behind each ablation row: the one place the ablation meets the trainer.</summary>
public static class AblationPretraining
{
    /// <summary>
    /// Pre-trains the backbone of <paramref name="case"/> into <paramref name="runDirectory"/> with
    /// the <see cref="AblationOptions.Preset"/> pre-training preset (overlaid with
    /// <see cref="AblationOptions.Config"/> when given), changed only in loss terms, λ,
    /// projector, batch, budget, data and seed. A finished run in that folder is reused, not trained again.
    /// </summary>
    public static ResNet Pretrain(AblationCase @case, AblationOptions options, string runDirectory, Action<string>? log = null)
    {
        TrainOrReuse(RunOptions(@case, options, runDirectory), log);
        return EvalBackbone.ReadRun(runDirectory).Backbone;
    }

    /// <summary>
    /// Pre-trains <paramref name="pretrain"/> into its <see cref="PretrainOptions.Out"/> (resuming
    /// an interrupted run there), or checks that the finished run there computed the same thing.
    /// The run keeps its OUT/metrics.jsonl (every logged step, RSS per epoch), as <c>barlow pretrain</c>'s does.
    /// </summary>
    public static void TrainOrReuse(PretrainOptions pretrain, Action<string>? log = null)
    {
        if (File.Exists(new RunFolder(pretrain.Out).Backbone))
        {
            RequireSameRun(pretrain);
            return;
        }
        var say = log ?? (_ => { });
        var data = PretrainingData.Open(pretrain, say);
        using var metrics = new MetricsLog(pretrain.Out);
        using var trainer = new Pretrainer(pretrain.Validated(), data, [new LineObserver(say), metrics]);
        trainer.Run();
    }

    private static PretrainOptions RunOptions(AblationCase @case, AblationOptions options, string runDirectory)
    {
        var preset = PretrainPresets.Get(options.Preset);
        if (options.Config is { } config)
            preset = PretrainOptionsJson.Overlay(preset, File.ReadAllText(config), config);
        return preset with
        {
            Data = options.Data,
            InvarianceWeight = @case.Loss == LossVariant.RedundancyOnly ? 0 : 1,
            Lambda = @case.Lambda,
            Projector = @case.Projector,
            BatchSize = @case.BatchSize,
            Epochs = options.Epochs ?? preset.Epochs,
            Minutes = options.Epochs is null ? options.Minutes : null,
            Seed = options.Seed,
            Out = runDirectory,
        };
    }

    // A finished run is reused only if it computed the same thing (the rules a resume follows):
    // another preset, config or budget in the same --out would otherwise put a foreign row in the table.
    private static void RequireSameRun(PretrainOptions wanted)
    {
        var saved = PretrainOptionsJson.Load(new RunFolder(wanted.Out).Config);
        var conflicts = ResumeRules.Conflicts(saved, wanted);
        if (conflicts.Count > 0)
            throw new InvalidOperationException(
                $"{wanted.Out} holds a finished run with other options ({string.Join(", ", conflicts)}): use another --out, or delete that folder to train it again.");
    }

    /// <summary>Epoch summaries and the trainer's messages as plain lines.</summary>
    private sealed class LineObserver(Action<string> log) : ITrainingObserver
    {
        public void OnEpoch(EpochReport report) =>
            log($"  epoch {report.Epoch + 1}: loss {report.MeanLoss:F2}, {report.ImagesPerSecond:F0} img/s");

        public void OnMessage(string message) => log("  " + message);
    }
}
