using BarlowTwins.Tests.Support;
using BarlowTwins.Training.Output;
using ScottPlot;
using ScottPlot.Plottables;

namespace BarlowTwins.Tests.Training;

/// <summary>What loss.png and correlation.png show, read off the plots before they are drawn.</summary>
public sealed class TrainingPlotsTests
{
    private static readonly LossPoint[] Points =
        [.. Enumerable.Range(1, 60).Select(s => new LossPoint(s, 2000.0 / s, 1500.0 / s, 500.0 / s, 0.1 * Math.Min(1, s / 10.0)))];

    [Fact]
    public void TheLossPlotHasTheLossItsTwoTermsAndTheRateOnItsOwnAxisWithALegendBesideTheData()
    {
        var plot = TrainingPlots.LossCurvePlot(Points);
        var lines = plot.GetPlottables().OfType<Scatter>().ToList();
        Assert.Equal(["loss", "invariance Σ(1−Cᵢᵢ)²", "λ · redundancy Σ Cᵢⱼ²", "learning rate (right axis)"], lines.Select(l => l.LegendText));
        Assert.All(lines.Take(3), line => Assert.Equal(Math.Log10(2000.0 / 60 * (line.LegendText == "loss" ? 1 : line.LegendText.StartsWith("inv") ? 0.75 : 0.25)),
                                                          line.Data.GetScatterPoints()[^1].Y, 12)); // log10 of the last value: a log axis
        Assert.Same(plot.Axes.Right, lines[3].Axes.YAxis);
        Assert.Equal(0.1, lines[3].Data.GetScatterPoints()[^1].Y);
        Assert.Contains(plot.Axes.GetPanels(), panel => panel is ScottPlot.Panels.LegendPanel);
        Assert.False(plot.Legend.IsVisible); // the legend inside the data area is off
        Assert.True(plot.Grid.IsVisible);
    }

    [Theory]
    [InlineData(2000, "2000")]
    [InlineData(5, "5")]
    [InlineData(0.002, "0.002")]
    [InlineData(1e8, "1E8")]
    [InlineData(2e-6, "2E-6")]
    public void LogTicksReadAsNumbers(double value, string label) => Assert.Equal(label, TrainingPlots.TickLabel(value));

    [Fact]
    public void ALossPlotWithNoFiniteStepStillDraws()
    {
        var plot = TrainingPlots.LossCurvePlot([new LossPoint(1, double.NaN, double.NaN, double.NaN, 0.1)]);
        Assert.Empty(plot.GetPlottables());
        using var temp = new TempFolder();
        TrainingPlots.LossCurve([new LossPoint(1, double.NaN, double.NaN, double.NaN, 0.1)], temp.File("loss.png"));
        Assert.True(new FileInfo(temp.File("loss.png")).Length > 0);
    }

    [Fact]
    public void TheCorrelationMapRunsFromMinusOneToOneWithAColourBarAndRowIAtHeightI()
    {
        float[] block = [1, 0.5f, -0.5f, float.NaN];
        var plot = TrainingPlots.CorrelationHeatMapPlot(block, 2, 7);
        var map = Assert.Single(plot.GetPlottables().OfType<Heatmap>());
        Assert.Equal(new ScottPlot.Range(-1, 1), map.ManualRange);
        Assert.True(map.FlipVertically);
        Assert.Equal(new double[,] { { 1, 0.5 }, { -0.5, 0 } }, map.Intensities); // NaN drawn as 0
        var bar = Assert.Single(plot.Axes.GetPanels().OfType<ScottPlot.Panels.ColorBar>());
        Assert.Equal("C_ij", bar.Label);
    }
}
