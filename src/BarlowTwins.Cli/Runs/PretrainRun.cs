using BarlowTwins.Distributed;
using BarlowTwins.Evaluation;
using BarlowTwins.Training;
using BarlowTwins.Training.Options;
using BarlowTwins.Training.Output;
using TorchSharp;

namespace BarlowTwins.Cli.Runs;

/// <summary>
/// Runs <c>barlow pretrain</c>: resolve options, open the data, train with the display and the file sinks.
/// Under <c>mpiexec -n K</c> each process is one rank of a data-parallel run; rank 0 alone prints and writes.
/// </summary>
internal static class PretrainRun
{
    public static int Execute(PretrainRequest request, bool printConfig, CancellationToken cancel)
    {
        using var collectives = Collectives.FromEnvironment();
        try
        {
            return Execute(request, printConfig, collectives, cancel);
        }
        catch (Exception e) when (collectives.Size > 1)
        {
            // A failure on one rank would leave the others waiting in a collective: end them all.
            Console.Error.WriteLine($"rank {collectives.Rank}: {e.GetType().Name}: {e.Message}");
            collectives.Abort(1);
            throw;
        }
    }

    private static int Execute(PretrainRequest request, bool printConfig, ICollectives collectives, CancellationToken cancel)
    {
        torch.set_num_threads(collectives.ThreadsPerRank());
        var say = collectives.IsRoot ? Console.WriteLine : (Action<string>)(_ => { });
        var resolved = PretrainSetup.Resolve(request);
        var (options, resuming, choice) = resolved;
        if (resolved.Note is string note) say(note);
        if (choice is not null) say(choice.Describe(options));
        if (printConfig) return PrintConfig(options, resuming, say);
        OutputPaths.Folder(options.Out, "--out");
        say(resuming ? $"resuming the run in {options.Out}" : $"new run in {options.Out}");
        if (collectives.Size > 1) say($"data-parallel over {collectives.Size} ranks, {collectives.ThreadsPerRank()} threads each");
        var progress = Train(options, cancel, collectives);
        say(progress.IsComplete
            ? $"done: {progress.GlobalStep} steps; backbone, metrics.jsonl, loss.png, correlation.png and tensorboard/ in {options.Out}"
            : progress.GlobalStep == options.MaxSteps
                ? $"stopped at --max-steps {options.MaxSteps} of the {progress.TotalSteps}-step schedule; raise or drop --max-steps to continue"
                : $"stopped at step {progress.GlobalStep}; run the same command again to continue");
        return 0;
    }

    // Everything a run would use, read but not written: the options, the data line and the schedule.
    private static int PrintConfig(PretrainOptions options, bool resuming, Action<string> say)
    {
        say(resuming ? $"would resume the run in {options.Out} from its newest checkpoint, with these options:"
                     : $"would start a new run in {options.Out} with these options:");
        say(PretrainOptionsJson.Write(options));
        var data = PretrainingData.Open(options, say);
        if (data.Skipped.SkippedCount > 0) say(data.Skipped.Summary($"{new RunFolder(options.Out).SkippedList} once the run starts"));
        say(ScheduleFactory.Describe(options, data.BatchesPerEpoch));
        say("nothing was written (--print-config)");
        return 0;
    }

    /// <summary>Trains with the display and the metric, TensorBoard and plot sinks; returns where the run stopped.</summary>
    public static TrainingProgress Train(PretrainOptions options, CancellationToken cancel, ICollectives? collectives = null)
    {
        collectives ??= new SingleProcess();
        if (!collectives.IsRoot)
        {
            // Quiet rank: the same steps, no console, no files.
            var share = PretrainingData.Open(options, _ => { }, collectives);
            using var quiet = new Pretrainer(options, share, [], null, collectives);
            return quiet.Run(cancel);
        }
        var data = PretrainingData.Open(options, Console.WriteLine, collectives);
        int skippedAtStart = data.SkippedFiles;
        var progress = TrainingDisplay.Run(display =>
        {
            using var metrics = new MetricsLog(options.Out);
            using var tensorboard = new TensorBoardLog(options.Out);
            using var plots = new PlotLog(options.Out);
            var monitor = options.KnnEvery > 0 ? KnnMonitor.For(options) : null;
            using var trainer = new Pretrainer(options, data, [display, metrics, tensorboard, plots], monitor, collectives);
            // Only now that the trainer took the options: a refused start leaves the run folder as it was.
            if (data.Skipped.Publish(new RunFolder(options.Out).SkippedList) is { Length: > 0 } summary) display.OnMessage(summary);
            return trainer.Run(cancel);
        });
        // Files that passed the check at open but failed to decode later were replaced; say which.
        if (data.SkippedFiles > skippedAtStart) Console.WriteLine(data.Skipped.Format(skippedAtStart));
        return progress;
    }
}
