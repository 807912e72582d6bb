using BarlowTwins.Training;

namespace BarlowTwins.Tests.Training;

public sealed class TimeBudgetTests
{
    [Fact]
    public void TheFirstFitSkipsTheWarmUpStepsAndSpendsTheRestOfTheBudget()
    {
        var budget = new TimeBudget(1000);
        for (int i = 0; i < TimeBudget.SkipSteps; i++) budget.Time(50);      // slow first steps: not timed
        for (int i = 0; i < TimeBudget.MeasureSteps - 1; i++) budget.Time(2);
        Assert.False(budget.Measured);
        budget.Time(2);
        Assert.True(budget.Measured);

        long steps = TimeBudget.SkipSteps + TimeBudget.MeasureSteps;
        double spent = TimeBudget.SkipSteps * 50 + TimeBudget.MeasureSteps * 2;
        long total = budget.Fit(steps, spent);

        Assert.Equal(2, budget.SecondsPerStep, 12);
        Assert.Equal(steps + (long)((1000 * (1 - TimeBudget.Margin) - spent) / 2), total);
    }

    [Fact]
    public void ARefitUsesOnlyTheStepsTimedSinceTheLastFit()
    {
        var budget = new TimeBudget(1000);
        for (int i = 0; i < TimeBudget.SkipSteps + TimeBudget.MeasureSteps; i++) budget.Time(2);
        long first = budget.Fit(13, 26);
        Assert.False(budget.Measured);

        for (int i = 0; i < 100; i++) budget.Time(1);                         // the steps got faster
        long refit = budget.Fit(113, 126);

        Assert.Equal(1, budget.SecondsPerStep, 12);
        Assert.Equal(113 + (long)(1000 * (1 - TimeBudget.Margin) - 126), refit);
        Assert.True(refit > first);
    }

    [Fact]
    public void FittingWithoutATimedStepIsAnError()
    {
        var budget = new TimeBudget(60);
        budget.Time(1);
        Assert.Throws<InvalidOperationException>(() => budget.Fit(1, 1));
    }
}
