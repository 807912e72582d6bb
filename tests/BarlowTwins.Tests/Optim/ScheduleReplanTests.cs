using System.Text.Json;
using BarlowTwins.Optim;
using BarlowTwins.Training;

namespace BarlowTwins.Tests.Optim;

/// <summary>A time budget's re-plan of the cosine: the rate stays continuous and the new end is reached.</summary>
public sealed class ScheduleReplanTests
{
    private static readonly LearningRateSchedule Planned = new(1000, 100, 128, 0.3, 0.0048);

    [Fact]
    public void WithoutAReplanEveryRateIsThePapersFormulaBitForBit()
    {
        double peak = 128 / 256.0, end = peak * Planned.FinalFactor;
        for (long step = 100; step <= 1000; step += 37)
        {
            double q = 0.5 * (1 + Math.Cos(Math.PI * (step - 100) / (1000 - 100)));
            Assert.Equal(peak * q + end * (1 - q), Planned.Multiplier(step));
        }
    }

    [Theory]
    [InlineData(400, 1300)]   // steps got faster: the end moves out
    [InlineData(400, 800)]    // slower: it moves in
    [InlineData(999, 1500)]
    public void AReplanKeepsTheRateAtItsStepAndEndsAtTheFinalRate(long step, long newTotal)
    {
        var replanned = Planned.Replanned(step, newTotal);

        Assert.Equal(Planned.Multiplier(step), replanned.Multiplier(step), 14);
        Assert.Equal(1, replanned.CosinePhase(newTotal), 14);
        Assert.Equal(Planned.Multiplier(1000), replanned.Multiplier(newTotal), 14);
        for (long s = step; s < newTotal; s++) Assert.True(replanned.Multiplier(s + 1) <= replanned.Multiplier(s), $"rate rose at step {s}");
    }

    [Fact]
    public void ReplansCompose()
    {
        var once = Planned.Replanned(300, 1200);
        var twice = once.Replanned(700, 1100);

        Assert.Equal(once.Multiplier(700), twice.Multiplier(700), 14);
        Assert.True(twice.CosinePhase(700) > once.CosinePhase(300));
        Assert.Equal(1, twice.CosinePhase(1100), 14);
    }

    [Fact]
    public void AReplanInTheWarmUpOnlyMovesTheEnd()
    {
        var replanned = Planned.Replanned(100, 2000);

        Assert.Equal(Planned with { TotalSteps = 2000 }, replanned);
    }

    [Fact]
    public void ANewEndNotAfterTheStepIsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Planned.Replanned(500, 500));

    [Fact]
    public void ACheckpointWrittenBeforeReplansExistedReadsAsNotReplanned()
    {
        var progress = new TrainingProgress(10, 0, 10, 100, 1000, 100, 0, 12.5);
        string json = JsonSerializer.Serialize(progress).Replace(",\"ReplanStep\":0,\"ReplanPhase\":0", "");
        Assert.DoesNotContain("Replan", json);

        Assert.Equal(progress, JsonSerializer.Deserialize<TrainingProgress>(json));
    }
}
