using BarlowTwins.Optim;
using BarlowTwins.Tests.Support;
using BarlowTwins.Training;

namespace BarlowTwins.Tests.Training;

/// <summary><c>--steps</c> sets the schedule's length; <c>--max-steps</c> only stops the run.</summary>
[Collection(SerialTorchRandom.Name)]
public sealed class ScheduleLengthTests : IDisposable
{
    private readonly string _root = TinyRun.TemporaryDirectory();

    public ScheduleLengthTests() => Torch.Ensure();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void StepsDecideTheLengthOverEpochsAndATimeBudgetDecidesAlone()
    {
        var options = new PretrainOptions { Epochs = 5 };
        Assert.Equal(50, ScheduleFactory.PlannedSteps(options, stepsPerEpoch: 10));
        Assert.Equal(60, ScheduleFactory.PlannedSteps(options with { Steps = 60 }, stepsPerEpoch: 10));
        Assert.Null(ScheduleFactory.PlannedSteps(options with { Minutes = 3 }, stepsPerEpoch: 10));
        Assert.Contains((options with { Steps = 60, Minutes = 3 }).Problems(), p => p.Contains("steps and minutes"));
        Assert.Contains((options with { Steps = 0 }).Problems(), p => p.Contains("steps must be positive"));
    }

    [Fact]
    public void ARunOfSixtyStepsEndsItsCosine()
    {
        // TinyRun: 3 batches per epoch, 1 warm-up epoch, 2 epochs; --steps 60 overrides the epochs.
        var steps = new List<StepReport>();
        var options = TinyRun.Options(_root) with { Steps = 60 };
        using var trainer = new Pretrainer(options, TinyRun.Data(), [new StepRecorder(steps)]);
        var end = trainer.Run();

        Assert.True(end.IsComplete);
        Assert.Equal((60L, 60L, 3L), (end.GlobalStep, end.TotalSteps, end.WarmupSteps));
        var schedule = new LearningRateSchedule(60, 3, options.BatchSize, options.WeightLr, options.BiasLr);
        Assert.Equal(Enumerable.Range(0, 60).Select(s => schedule.At(s).Weights), steps.Select(s => s.WeightLr));
        double peak = options.WeightLr * options.BatchSize / 256.0;
        Assert.Equal(peak, steps.Max(s => s.WeightLr), 12);                       // warm-up reached the peak
        Assert.InRange(steps[^1].WeightLr, peak * schedule.FinalFactor, peak * 0.01); // the last step is at the cosine's foot
        Assert.All(steps, s => Assert.Equal(60, s.EndStep));
    }

    [Fact]
    public void MaxStepsStopsTheRunWithoutChangingTheScheduleAndTheEtaCountsToIt()
    {
        var steps = new List<StepReport>();
        var options = TinyRun.Options(_root) with { Steps = 60, MaxSteps = 6 };
        using var trainer = new Pretrainer(options, TinyRun.Data(), [new StepRecorder(steps)]);
        var end = trainer.Run();

        Assert.Equal((6L, 60L, false), (end.GlobalStep, end.TotalSteps, end.IsComplete));
        var schedule = new LearningRateSchedule(60, 3, options.BatchSize, options.WeightLr, options.BiasLr);
        Assert.Equal(Enumerable.Range(0, 6).Select(s => schedule.At(s).Weights), steps.Select(s => s.WeightLr));
        Assert.All(steps, s => Assert.Equal(6, s.EndStep));
        Assert.Equal(0, steps[^1].EtaSeconds);
        Assert.Equal(6, end.EndStep(options.MaxSteps));
        Assert.Equal(60, end.EndStep(maxSteps: 100));
    }

    private sealed class StepRecorder(List<StepReport> steps) : ITrainingObserver
    {
        public void OnStep(StepReport report) => steps.Add(report);
    }
}
