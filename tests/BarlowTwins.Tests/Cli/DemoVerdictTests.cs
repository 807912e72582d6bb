using BarlowTwins.Cli.Runs;

namespace BarlowTwins.Tests.Cli;

/// <summary>The demo's closing sentence: the margins when Barlow Twins wins, the cause and a budget when it does not.</summary>
public sealed class DemoVerdictTests
{
    [Fact]
    public void AheadOfBothNamesBothMargins()
    {
        string verdict = DemoRun.Verdict(pixels: 81.90, random: 72.75, barlow: 86.40, steps: 1079, minutes: 10);
        Assert.Equal("Barlow Twins is 4.50 points ahead of raw pixels and 13.65 ahead of random init after 1079 steps.", verdict);
    }

    [Fact]
    public void BehindPixelsSaysHowFastTheMachineRanAndWhatBudgetReachesTheSteps()
    {
        string verdict = DemoRun.Verdict(pixels: 81.90, random: 72.75, barlow: 79.10, steps: 252, minutes: 10);
        Assert.Contains("After 252 steps the Barlow Twins backbone is -2.80 points from raw pixels and +6.35 from random init", verdict);
        Assert.Contains("ran 25 steps a minute", verdict);
        // 600 steps at 25.2 steps a minute take 23.8 minutes.
        Assert.Contains("--minutes 24", verdict);
    }

    [Fact]
    public void BehindRandomInitIsNotCalledAWin()
    {
        string verdict = DemoRun.Verdict(pixels: 70, random: 75, barlow: 72, steps: 100, minutes: 5);
        Assert.StartsWith("After 100 steps the Barlow Twins backbone is +2.00 points from raw pixels and -3.00 from random init", verdict);
    }
}
