using BarlowTwins.Training;
using BarlowTwins.Training.Options;
using BarlowTwins.Training.Output;
using Spectre.Console;

namespace BarlowTwins.Cli.Runs;

/// <summary>
/// Shows a run: a Spectre.Console progress bar on an interactive terminal, plain lines (one per
/// logged step) when the output is redirected to a file or a pipe.
/// </summary>
internal static class TrainingDisplay
{
    public static T Run<T>(Func<ITrainingObserver, T> work)
    {
        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
            return work(new PlainLog());
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new ProgressBarColumn(), new PercentageColumn(), new TaskDescriptionColumn { Alignment = Justify.Left })
            .Start(context => result = work(new Bar(context.AddTask("starting", maxValue: 1))));
        return result;
    }

    /// <summary>Lines on logged steps, epochs and messages.</summary>
    private sealed class PlainLog : ITrainingObserver
    {
        private CollapseDiagnostics? _diagnostics;

        public void OnStep(StepReport report)
        {
            if (!report.IsLogged) return;
            _diagnostics = report.Step.Diagnostics ?? _diagnostics;
            Console.WriteLine(StepText.Step(report, _diagnostics));
        }

        public void OnEpoch(EpochReport report) => Console.WriteLine(StepText.Epoch(report));

        public void OnMessage(string message) => Console.WriteLine(message);
    }

    /// <summary>A progress bar whose description carries the latest numbers.</summary>
    private sealed class Bar(ProgressTask task) : ITrainingObserver
    {
        private CollapseDiagnostics? _diagnostics;

        public void OnStart(PretrainOptions options, TrainingProgress progress, bool resumed)
        {
            task.MaxValue = Math.Max(1, progress.EndStep(options.MaxSteps));
            task.Value = progress.GlobalStep;
        }

        public void OnStep(StepReport report)
        {
            _diagnostics = report.Step.Diagnostics ?? _diagnostics;
            if (report.EndStep > 0) task.MaxValue = report.EndStep;
            task.Value = report.Progress.GlobalStep;
            task.Description = Markup.Escape(StepText.Step(report, _diagnostics));
        }

        public void OnEpoch(EpochReport report) => AnsiConsole.MarkupLine(Markup.Escape(StepText.Epoch(report)));

        public void OnMessage(string message) => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(message)}[/]");

        public void OnFinish(TrainingProgress progress) => task.StopTask();
    }
}
