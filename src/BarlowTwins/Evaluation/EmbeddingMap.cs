using BarlowTwins.Training.Output;
using ScottPlot;

namespace BarlowTwins.Evaluation;

/// <summary>A 2-D map of embeddings: their first two principal components, one colour per class.</summary>
public static class EmbeddingMap
{
    /// <summary>
    /// Draws <paramref name="projection"/> (at least 2 axes) as a PNG at <paramref name="path"/>; rows are
    /// coloured by <paramref name="labels"/> and named by <paramref name="classes"/> (unlabelled rows: one colour).
    /// </summary>
    public static void Draw(PcaProjection projection, IReadOnlyList<long> labels, IReadOnlyList<string> classes, string title, string path)
    {
        var plot = new Plot();
        plot.Title(title);
        plot.XLabel($"principal component 1 ({projection.ExplainedVariance[0]:P0} of the variance)");
        plot.YLabel($"principal component 2 ({projection.ExplainedVariance.ElementAtOrDefault(1):P0})");
        var palette = new ScottPlot.Palettes.Category10();
        foreach (var group in Enumerable.Range(0, labels.Count).GroupBy(n => labels[n]).OrderBy(g => g.Key))
        {
            var rows = group.ToArray();
            var points = plot.Add.ScatterPoints(rows.Select(n => projection.Points[n, 0]).ToArray(),
                                                rows.Select(n => projection.Points.GetLength(1) > 1 ? projection.Points[n, 1] : 0).ToArray(),
                                                palette.GetColor((int)Math.Max(0, group.Key)));
            points.MarkerSize = labels.Count > 2000 ? 3 : 6;
            points.LegendText = group.Key >= 0 && group.Key < classes.Count ? classes[(int)group.Key] : "unlabelled";
        }
        if (classes.Count > 0) plot.ShowLegend(Edge.Right);
        TrainingPlots.Save(plot, path, 900, 640);
    }
}
