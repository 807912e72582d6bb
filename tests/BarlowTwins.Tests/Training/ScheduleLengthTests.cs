using BarlowTwins.Optim;
using BarlowTwins.Tests.Support;
using BarlowTwins.Training;
using BarlowTwins.Training.Options;

namespace BarlowTwins.Tests.Training;

/// <summary><c>--steps</c> sets the schedule's length; <c>--max-steps</c> only stops the run.</summary>
[Collection(SerialTorchRandom.Name)]
public sealed class ScheduleLengthTests : TempFolderTest
{
    [Fact]
    public void StepsDecideTheLengthOverEpochsAndATimeBudgetDecidesAlone()
    {
        var options = new PretrainOptions { Epochs = 5 };
        Assert.Equal(50, ScheduleFactory.PlannedSteps(options, stepsPerEpoch: 10));
        Assert.Equal(60, ScheduleFactory.PlannedSteps(options with { Steps = 60 }, stepsPerEpoch: 10));
        Assert.Null(ScheduleFactory.PlannedSteps(options with { Minutes = 3 }, stepsPerEpoch: 10));
        Assert.Contains((options with { Steps = 60, Minutes = 3 }).Problems(), p => p.Contains("steps and minutes"));
        Assert.Contains((options with { Steps = 0 }).Problems(), p => p.Contains("steps must be at least 1"));
    }

    [Fact]
    public void ARunOfSixtyStepsEndsItsCosine()
    {
        // TinyRun: 3 batches per epoch, 1 warm-up epoch, 2 epochs; --steps 60 overrides the epochs.
        var recorder = new RunRecorder();
        var options = TinyRun.Options(Folder) with { Steps = 60 };
        using var trainer = new Pretrainer(options, TinyRun.Data(), [recorder]);
        var end = trainer.Run();

        Assert.True(end.IsComplete);
        Assert.Equal((60L, 60L, 3L), (end.GlobalStep, end.TotalSteps, end.WarmupSteps));
        var schedule = new LearningRateSchedule(60, 3, options.BatchSize, options.WeightLr, options.BiasLr);
        Assert.Equal(Enumerable.Range(0, 60).Select(s => schedule.At(s).Weights), recorder.Steps.Select(s => s.WeightLr));
        double peak = options.WeightLr * options.BatchSize / 256.0;
        Assert.Equal(peak, recorder.Steps.Max(s => s.WeightLr), 12);                       // warm-up reached the peak
        Assert.InRange(recorder.Steps[^1].WeightLr, peak * schedule.FinalFactor, peak * 0.01); // the last step is at the cosine's foot
        Assert.All(recorder.Steps, s => Assert.Equal(60, s.EndStep));
    }

    [Fact]
    public void MaxStepsStopsTheRunWithoutChangingTheScheduleAndTheEtaCountsToIt()
    {
        var recorder = new RunRecorder();
        var options = TinyRun.Options(Folder) with { Steps = 60, MaxSteps = 6 };
        using var trainer = new Pretrainer(options, TinyRun.Data(), [recorder]);
        var end = trainer.Run();

        Assert.Equal((6L, 60L, false), (end.GlobalStep, end.TotalSteps, end.IsComplete));
        var schedule = new LearningRateSchedule(60, 3, options.BatchSize, options.WeightLr, options.BiasLr);
        Assert.Equal(Enumerable.Range(0, 6).Select(s => schedule.At(s).Weights), recorder.Steps.Select(s => s.WeightLr));
        Assert.All(recorder.Steps, s => Assert.Equal(6, s.EndStep));
        Assert.Equal(0, recorder.Steps[^1].EtaSeconds);
        Assert.Equal(6, end.EndStep(options.MaxSteps));
        Assert.Equal(60, end.EndStep(maxSteps: 100));
    }

    [Fact]
    public void RaisingStepsOnResumeExtendsAFinishedRunOnTheLongerSchedulesCosine()
    {
        // 12 steps (warm-up: 1 epoch = 3 steps, capped at a tenth: 1), then resumed with --steps 24.
        var options = TinyRun.Options(Folder) with { Steps = 12 };
        using (var first = new Pretrainer(options, TinyRun.Data(), [])) Assert.True(first.Run().IsComplete);

        var recorder = new RunRecorder();
        using var extended = new Pretrainer(options with { Steps = 24 }, TinyRun.Data(), [recorder]);
        var end = extended.Run();

        Assert.True(extended.Resumed);
        Assert.Equal((24L, 24L, 1L), (end.GlobalStep, end.TotalSteps, end.WarmupSteps));
        var planned = new LearningRateSchedule(24, 1, options.BatchSize, options.WeightLr, options.BiasLr);
        Assert.Equal(Enumerable.Range(12, 12).Select(s => planned.At(s).Weights), recorder.Steps.Select(s => s.WeightLr));
        Assert.Contains(recorder.Messages, m => m.Contains("schedule extended from 12 to 24 steps"));
        Assert.Equal(24, PretrainOptionsJson.Load(new RunFolder(Folder).Config).Steps);
    }

    [Fact]
    public void RaisingEpochsOnResumeExtendsARunStoppedMidway()
    {
        var options = TinyRun.Options(Folder); // 2 epochs of 3 steps, warm-up min(3, 6 / 10) = 0
        using (var first = new Pretrainer(options with { MaxSteps = 4 }, TinyRun.Data(), [])) first.Run();

        var recorder = new RunRecorder();
        using var extended = new Pretrainer(options with { Epochs = 4 }, TinyRun.Data(), [recorder]);
        var end = extended.Run();

        Assert.Equal((12L, 12L), (end.GlobalStep, end.TotalSteps));
        var planned = new LearningRateSchedule(12, 0, options.BatchSize, options.WeightLr, options.BiasLr);
        Assert.Equal(Enumerable.Range(4, 8).Select(s => planned.At(s).Weights), recorder.Steps.Select(s => s.WeightLr));
    }

    [Fact]
    public void AResumedRunsLengthMayOnlyBeRaisedAndNeverByATimeBudget()
    {
        var saved = TinyRun.Options(Folder) with { Steps = 12 };
        var progress = new TrainingProgress(GlobalStep: 7, Epoch: 2, BatchInEpoch: 1, StepsPerEpoch: 3, TotalSteps: 12, WarmupSteps: 1, 0, 0);

        Assert.Same(progress, ResumeRules.Extend(progress, saved, saved with { MaxSteps = 9 }));
        Assert.Equal(progress with { TotalSteps = 15 }, ResumeRules.Extend(progress, saved, saved with { Steps = null, Epochs = 5 }));
        var shorter = Assert.Throws<ArgumentException>(() => ResumeRules.Extend(progress, saved, saved with { Steps = 10 }));
        Assert.Contains("can only be raised", shorter.Message);
        Assert.Contains("--max-steps", shorter.Message);
        var budget = Assert.Throws<ArgumentException>(() => ResumeRules.Extend(progress, saved, saved with { Steps = null, Minutes = 5 }));
        Assert.Contains("not --minutes", budget.Message);
        Assert.Empty(ResumeRules.Conflicts(saved, saved with { Steps = 99 }));
    }

    [Fact]
    public void ATimeBudgetNotYetFittedTakesTheNewLengthAndItsWarmUp()
    {
        var saved = TinyRun.Options(Folder) with { Minutes = 10 };
        var progress = new TrainingProgress(5, 1, 2, 3, TotalSteps: 0, WarmupSteps: 0, 0, 0);
        var extended = ResumeRules.Extend(progress, saved, saved with { Minutes = null, Steps = 60 });
        Assert.Equal((60L, 3L), (extended.TotalSteps, extended.WarmupSteps));
        Assert.Throws<ArgumentException>(() => ResumeRules.Extend(progress, saved, saved with { Minutes = null, Steps = 5 }));
    }
}
