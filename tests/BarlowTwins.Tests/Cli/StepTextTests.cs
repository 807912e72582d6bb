using BarlowTwins.Cli.Runs;
using BarlowTwins.Training;
using BarlowTwins.Training.Output;

namespace BarlowTwins.Tests.Cli;

/// <summary>The progress line shows the learning rate a short run really ends on, not a rounded 0.</summary>
public sealed class StepTextTests
{
    [Theory]
    [InlineData(0.015625, "0.0156")]
    [InlineData(3.459515519065399e-05, "3.46e-05")] // the last step of `--steps 60` at batch 16: "lr 0" with four decimals
    [InlineData(0.0, "0")]
    [InlineData(0.2, "0.2")]
    public void RatesKeepThreeSignificantDigits(double lr, string text) => Assert.Equal(text, StepText.Rate(lr));

    [Fact]
    public void TheLastStepOfASixtyStepRunShowsTheCosinesFoot()
    {
        var progress = new TrainingProgress(GlobalStep: 60, Epoch: 7, BatchInEpoch: 4, StepsPerEpoch: 8, TotalSteps: 60,
                                            WarmupSteps: 6, SkippedSteps: 0, TrainingSeconds: 10);
        var report = new StepReport(progress, new StepResult(48.5, 46.6, 367.7, 1, Skipped: false), WeightLr: 3.4595e-05,
                                    BiasLr: 5.5e-07, ImagesPerSecond: 6, EtaSeconds: 0, EndStep: 60, Images: 16, IsLogged: true);
        Assert.Contains("step 60/60 ", StepText.Step(report, lastDiagnostics: null));
        Assert.Contains(" lr 3.46e-05 ", StepText.Step(report, lastDiagnostics: null));
    }
}
