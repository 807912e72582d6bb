using BarlowTwins.Evaluation;
using BarlowTwins.Training;

namespace BarlowTwins.Cli.Training;

/// <summary>Runs <c>barlow pretrain</c>: resolve options, open the data, train with the display and the file sinks.</summary>
internal static class PretrainRun
{
    public static int Execute(PretrainRequest request, CancellationToken cancel)
    {
        var (options, resuming) = PretrainSetup.Resolve(request);
        Console.WriteLine(resuming ? $"resuming the run in {options.Out}" : $"new run in {options.Out}");
        var progress = Train(options, cancel);
        Console.WriteLine(progress.IsComplete
            ? $"done: {progress.GlobalStep} steps; backbone, metrics.jsonl, loss.png, correlation.png and tensorboard/ in {options.Out}"
            : $"stopped at step {progress.GlobalStep}; run the same command again to continue");
        return 0;
    }

    /// <summary>Trains with the display and the metric, TensorBoard and plot sinks; returns where the run stopped.</summary>
    public static TrainingProgress Train(PretrainOptions options, CancellationToken cancel)
    {
        var data = PretrainingData.Open(options, Console.WriteLine);
        return TrainingDisplay.Run(display =>
        {
            using var metrics = new MetricsLog(options.Out);
            using var tensorboard = new TensorBoardLog(options.Out);
            using var plots = new PlotLog(options.Out);
            var monitor = options.KnnEvery > 0 ? KnnMonitor.For(options) : null;
            using var trainer = new Pretrainer(options, data, [display, metrics, tensorboard, plots], monitor);
            return trainer.Run(cancel);
        });
    }
}
