using BarlowTwins.Training.Options;
using ScottPlot;

namespace BarlowTwins.Training.Output;

/// <summary>One logged step, as the loss plot draws it.</summary>
/// <param name="Step">Global step.</param>
/// <param name="Loss">The loss: <see cref="Invariance"/> (times its weight) + <see cref="WeightedRedundancy"/>.</param>
/// <param name="Invariance">Σ(1 − C_ii)².</param>
/// <param name="WeightedRedundancy">λ Σ_{i≠j} C_ij².</param>
/// <param name="LearningRate">The weights' learning rate at the step.</param>
public readonly record struct LossPoint(long Step, double Loss, double Invariance, double WeightedRedundancy, double LearningRate);

/// <summary>
/// PNG pictures of a run, drawn with ScottPlot: the loss and its two terms on a log scale with the
/// learning rate on a second axis, and a block of C as a heat map (red +1, white 0, blue −1) with
/// a colour bar.
/// </summary>
public static class TrainingPlots
{
    private const int Width = 900, Height = 520;

    /// <summary>Loss, invariance and λ·redundancy against step (log scale: they fall by orders of magnitude), and the learning rate.</summary>
    public static void LossCurve(IReadOnlyList<LossPoint> points, string path) => Save(LossCurvePlot(points), path, Width, Height);

    /// <summary>The picture <see cref="LossCurve"/> saves.</summary>
    internal static Plot LossCurvePlot(IReadOnlyList<LossPoint> points)
    {
        var plot = new Plot();
        plot.Title("Barlow Twins loss");
        plot.XLabel("step");
        plot.YLabel("loss (log scale)");
        var valid = points.Where(p => double.IsFinite(p.Loss) && p.Loss > 0).ToList();
        if (valid.Count > 0)
        {
            double[] steps = [.. valid.Select(p => (double)p.Step)];
            Line(plot, steps, valid.Select(p => p.Loss), "loss", Colors.Black, 2);
            Line(plot, steps, valid.Select(p => p.Invariance), "invariance Σ(1−Cᵢᵢ)²", Colors.SteelBlue, 1.5f);
            Line(plot, steps, valid.Select(p => p.WeightedRedundancy), "λ · redundancy Σ Cᵢⱼ²", Colors.DarkOrange, 1.5f);
            var rate = plot.Add.ScatterLine(steps, [.. valid.Select(p => p.LearningRate)], Colors.Gray);
            rate.LinePattern = LinePattern.Dashed;
            rate.LegendText = "learning rate (right axis)";
            rate.Axes.YAxis = plot.Axes.Right;
            plot.Axes.Right.Label.Text = "learning rate";
        }
        plot.Axes.Left.TickGenerator = LogTicks(valid.SelectMany(p => new[] { p.Loss, p.Invariance, p.WeightedRedundancy }));
        plot.Grid.MajorLineColor = Colors.Black.WithAlpha(0.12);
        plot.Grid.MinorLineColor = Colors.Black.WithAlpha(0.05);
        plot.ShowLegend(Edge.Right); // beside the data: inside, it hid the curves' last steps
        return plot;
    }

    // Ticks at 1, 2 and 5 × 10^k across the values' range (a log axis plots log10 of each value).
    private static ScottPlot.TickGenerators.NumericManual LogTicks(IEnumerable<double> values)
    {
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        var positive = values.Where(v => v > 0 && double.IsFinite(v)).ToList();
        if (positive.Count == 0) return ticks;
        int low = (int)Math.Floor(Math.Log10(positive.Min())), high = (int)Math.Ceiling(Math.Log10(positive.Max()));
        for (int k = low; k <= high; k++)
            foreach (double m in new[] { 1.0, 2, 5 })
                ticks.AddMajor(Math.Log10(m) + k, TickLabel(m * Math.Pow(10, k)));
        return ticks;
    }

    // 2000 and 0.005 as written, not "2E+03"; only the extremes in powers of ten.
    internal static string TickLabel(double value) =>
        value.ToString(value is >= 1e-4 and < 1e7 ? "0.####" : "0E0", System.Globalization.CultureInfo.InvariantCulture);

    // Terms ≤ 0 (a perfect invariance, λ = 0) have no logarithm: they are left out of their line.
    private static void Line(Plot plot, double[] steps, IEnumerable<double> values, string label, Color color, float width)
    {
        var pairs = steps.Zip(values).Where(p => p.Second > 0 && double.IsFinite(p.Second)).ToArray();
        if (pairs.Length == 0) return;
        var line = plot.Add.ScatterLine(pairs.Select(p => p.First).ToArray(), pairs.Select(p => Math.Log10(p.Second)).ToArray(), color);
        line.LineWidth = width;
        line.LegendText = label;
    }

    /// <summary>Heat map of a side × side block of C (row-major) with a colour bar; the diagonal turns red as training works.</summary>
    public static void CorrelationHeatMap(float[] block, int side, long step, string path) =>
        Save(CorrelationHeatMapPlot(block, side, step), path, 720, 640);

    /// <summary>The picture <see cref="CorrelationHeatMap"/> saves.</summary>
    internal static Plot CorrelationHeatMapPlot(float[] block, int side, long step)
    {
        var values = new double[side, side];
        for (int i = 0; i < side; i++)
            for (int j = 0; j < side; j++)
                values[i, j] = float.IsFinite(block[i * side + j]) ? block[i * side + j] : 0;
        var plot = new Plot();
        plot.Title($"Cross-correlation C[0:{side}, 0:{side}] at step {step}");
        var map = plot.Add.Heatmap(values);
        map.Colormap = new ScottPlot.Colormaps.Balance(); // blue −1, white 0, red +1
        map.ManualRange = new ScottPlot.Range(-1, 1);
        map.FlipVertically = true; // row i at height i, as the axis says
        var bar = plot.Add.ColorBar(map);
        bar.Label = "C_ij";
        plot.XLabel("embedding dimension j (view B)");
        plot.YLabel("embedding dimension i (view A)");
        plot.Axes.Margins(0, 0);
        return plot;
    }

    /// <summary>Writes <paramref name="plot"/> as a PNG, atomically (a reader never sees half a file).</summary>
    internal static void Save(Plot plot, string path, int width, int height)
    {
        string temporary = path + ".tmp.png";
        plot.SavePng(temporary, width, height);
        File.Move(temporary, path, overwrite: true);
    }
}

/// <summary>Redraws OUT/loss.png and OUT/correlation.png at every epoch end and at the end of the run.</summary>
public sealed class PlotLog(string runDirectory) : ITrainingObserver
{
    private readonly List<LossPoint> _loss = [];
    private (float[] Block, int Side, long Step)? _correlation;
    private double _lambda, _invarianceWeight = 1;

    /// <inheritdoc />
    public void OnStart(PretrainOptions options, TrainingProgress progress, bool resumed)
    {
        _lambda = options.Lambda.Resolve(options.Projector.OutputDim);
        _invarianceWeight = options.InvarianceWeight;
        if (resumed) _loss.AddRange(MetricsLog.ReadLoss(runDirectory).Where(p => p.Step <= progress.GlobalStep).Select(Point));
    }

    /// <inheritdoc />
    public void OnStep(StepReport report)
    {
        if (!report.IsLogged) return;
        var s = report.Step;
        _loss.Add(Point((report.Progress.GlobalStep, s.Loss, s.Invariance, s.Redundancy, report.WeightLr)));
        if (s.CorrelationBlock is { } block) _correlation = (block, s.BlockSide, report.Progress.GlobalStep);
    }

    private LossPoint Point((long Step, double Loss, double Invariance, double Redundancy, double Rate) p) =>
        new(p.Step, p.Loss, _invarianceWeight * p.Invariance, _lambda * p.Redundancy, p.Rate);

    /// <inheritdoc />
    public void OnEpoch(EpochReport report) => Draw();

    /// <inheritdoc />
    public void OnFinish(TrainingProgress progress) => Draw();

    private void Draw()
    {
        TrainingPlots.LossCurve(_loss, new RunFolder(runDirectory).LossPlot);
        if (_correlation is var (block, side, step))
            TrainingPlots.CorrelationHeatMap(block, side, step, new RunFolder(runDirectory).CorrelationPlot);
    }
}
