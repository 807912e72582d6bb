using BarlowTwins.Training.Output;


namespace BarlowTwins.Tests.Training;

/// <summary>An observer that keeps every step report and message; optionally cancels the run after some steps.</summary>
internal sealed class RunRecorder(CancellationTokenSource? stop = null, int stopAfter = int.MaxValue) : ITrainingObserver
{
    public List<StepReport> Steps { get; } = [];

    public List<string> Messages { get; } = [];

    public void OnStep(StepReport report)
    {
        Steps.Add(report);
        if (Steps.Count == stopAfter) stop?.Cancel();
    }

    public void OnMessage(string message) => Messages.Add(message);
}
