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
        var options = TinyRun.Options(_root) with { Minutes = 10, MaxSteps = 2 };
        using var trainer = new Pretrainer(options, TinyRun.Data(), [new StepRecorder(steps)]);
        trainer.Run();
        Assert.Equal(2, steps.Count);
        foreach (var step in steps)
            Assert.InRange(step.EtaSeconds, 600 - 60, 600);
    }

    private sealed class StepRecorder(List<StepReport> steps) : ITrainingObserver
    {
        public void OnStep(StepReport report) => steps.Add(report);

        public void Dispose() { }
    }
}
