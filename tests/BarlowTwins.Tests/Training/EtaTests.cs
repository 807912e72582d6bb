using BarlowTwins.Tests.Support;
using BarlowTwins.Training;

namespace BarlowTwins.Tests.Training;

public sealed class EtaTests : TempFolderTest
{
    [Fact]
    public void BeforeTheBudgetIsMeasuredTheEtaIsWhatIsLeftOfIt()
    {
        // A 10-minute budget: the first steps (milliseconds each, before the schedule is fitted)
        // must report about 600 s to go, not the provisional schedule's length times the step time.
        using var stop = new CancellationTokenSource();
        var recorder = new RunRecorder(stop, stopAfter: 2);
        var options = TinyRun.Options(Folder) with { Minutes = 10 };
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
