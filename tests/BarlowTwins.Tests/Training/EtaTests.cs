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
        using var stop = new CancellationTokenSource();
        var recorder = new RunRecorder(stop, stopAfter: 2);
        var options = TinyRun.Options(_root) with { Minutes = 10 };
        using var trainer = new Pretrainer(options, TinyRun.Data(), [recorder]);
        trainer.Run(stop.Token);
        Assert.Equal(2, recorder.Steps.Count);
        foreach (var step in recorder.Steps)
        {
            Assert.InRange(step.EtaSeconds, 600 - 60, 600);
            Assert.Equal(0, step.EndStep); // not known until the budget is fitted
        }
    }
}
