using BarlowTwins.Tests.Support;
using BarlowTwins.Training;

namespace BarlowTwins.Tests.Training;

public sealed class EtaTests : IDisposable
{
    private readonly string _root = TinyRun.TemporaryDirectory();

    public EtaTests() => Torch.Ensure();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void BeforeTheBudgetIsMeasuredTheEtaIsWhatIsLeftOfIt()
    {
        // A 10-minute budget: the first steps (milliseconds each, before the schedule is fitted)
        // must report about 600 s to go, not the provisional schedule's length times the step time.
        var steps = new List<StepReport>();
        using var stop = new CancellationTokenSource();
        var options = TinyRun.Options(_root) with { Minutes = 10 };
        using var trainer = new Pretrainer(options, TinyRun.Data(), [new StepRecorder(steps, stop, after: 2)]);
        trainer.Run(stop.Token);
        Assert.Equal(2, steps.Count);
        foreach (var step in steps)
        {
            Assert.InRange(step.EtaSeconds, 600 - 60, 600);
            Assert.Equal(0, step.EndStep); // not known until the budget is fitted
        }
    }

    private sealed class StepRecorder(List<StepReport> steps, CancellationTokenSource stop, int after) : ITrainingObserver
    {
        public void OnStep(StepReport report)
        {
            steps.Add(report);
            if (steps.Count == after) stop.Cancel();
        }
    }
}
