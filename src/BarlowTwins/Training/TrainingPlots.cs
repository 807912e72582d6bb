using SkiaSharp;

namespace BarlowTwins.Training;

/// <summary>PNG pictures of a run: the loss curve, and C as a heat map (red +1, white 0, blue −1).</summary>
public static class TrainingPlots
{
    private const int Width = 800, Height = 500, Margin = 60;

    /// <summary>Loss against step, log-scaled loss axis (the loss falls by orders of magnitude).</summary>
    public static void LossCurve(IReadOnlyList<(long Step, double Loss)> points, string path)
    {
        using var surface = SKSurface.Create(new SKImageInfo(Width, Height));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true, StrokeWidth = 1, Style = SKPaintStyle.Stroke };
        using var text = new SKFont(SKTypeface.Default, 14);
        using var textPaint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        canvas.DrawRect(Margin, Margin / 2, Width - Margin * 1.5f, Height - Margin * 1.5f, ink);
        canvas.DrawText("Barlow Twins loss (log scale) vs step", Margin, Margin / 2 - 8, text, textPaint);
        var valid = points.Where(p => p.Loss > 0 && double.IsFinite(p.Loss)).ToList();
        if (valid.Count >= 2)
        {
            long s0 = valid[0].Step, s1 = Math.Max(valid[^1].Step, s0 + 1);
            double lo = Math.Log10(valid.Min(p => p.Loss)), hi = Math.Log10(valid.Max(p => p.Loss));
            if (hi - lo < 1e-6) hi = lo + 1;
            float X(long s) => Margin + (float)(s - s0) / (s1 - s0) * (Width - Margin * 1.5f);
            float Y(double l) => Height - Margin + (float)((lo - Math.Log10(l)) / (hi - lo)) * (Height - Margin * 1.5f);
            using var path2 = new SKPath();
            path2.MoveTo(X(valid[0].Step), Y(valid[0].Loss));
            foreach (var p in valid.Skip(1)) path2.LineTo(X(p.Step), Y(p.Loss));
            using var line = new SKPaint { Color = SKColors.SteelBlue, IsAntialias = true, StrokeWidth = 2, Style = SKPaintStyle.Stroke };
            canvas.DrawPath(path2, line);
            canvas.DrawText($"{Math.Pow(10, hi):G4}", 4, Margin / 2 + 14, text, textPaint);
            canvas.DrawText($"{Math.Pow(10, lo):G4}", 4, Height - Margin, text, textPaint);
            canvas.DrawText($"step {s0}", Margin, Height - Margin / 2, text, textPaint);
            canvas.DrawText($"step {s1}", Width - Margin * 2.5f, Height - Margin / 2, text, textPaint);
        }
        Save(surface, path);
    }

    /// <summary>Heat map of a side × side block of C (row-major); the diagonal turns red as training works.</summary>
    public static void CorrelationHeatMap(float[] block, int side, long step, string path)
    {
        const int cell = 8, top = 30;
        int size = side * cell;
        using var surface = SKSurface.Create(new SKImageInfo(size + 20, size + top + 10));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var text = new SKFont(SKTypeface.Default, 13);
        using var textPaint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        canvas.DrawText($"C[0:{side}, 0:{side}] at step {step}  (red +1, white 0, blue -1)", 10, 20, text, textPaint);
        using var fill = new SKPaint { Style = SKPaintStyle.Fill };
        for (int i = 0; i < side; i++)
            for (int j = 0; j < side; j++)
            {
                fill.Color = Diverging(block[i * side + j]);
                canvas.DrawRect(10 + j * cell, top + i * cell, cell, cell, fill);
            }
        Save(surface, path);
    }

    private static SKColor Diverging(float v)
    {
        float t = Math.Clamp(Math.Abs(float.IsFinite(v) ? v : 0), 0, 1);
        byte fade = (byte)(255 * (1 - t));
        return v >= 0 ? new SKColor(255, fade, fade) : new SKColor(fade, fade, 255);
    }

    private static void Save(SKSurface surface, string path)
    {
        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        string temporary = path + ".tmp";
        using (var file = File.Create(temporary)) png.SaveTo(file);
        File.Move(temporary, path, overwrite: true);
    }
}

/// <summary>Redraws OUT/loss.png and OUT/correlation.png at every epoch end and at the end of the run.</summary>
public sealed class PlotLog(string runDirectory) : ITrainingObserver
{
    private readonly List<(long Step, double Loss)> _loss = [];
    private (float[] Block, int Side, long Step)? _correlation;

    /// <inheritdoc />
    public void OnStart(PretrainOptions options, TrainingProgress progress, bool resumed)
    {
        if (resumed) _loss.AddRange(MetricsLog.ReadLoss(runDirectory).Where(p => p.Step <= progress.GlobalStep));
    }

    /// <inheritdoc />
    public void OnStep(StepReport report)
    {
        if (!report.IsLogged) return;
        _loss.Add((report.Progress.GlobalStep, report.Step.Loss));
        if (report.Step.CorrelationBlock is { } block) _correlation = (block, report.Step.BlockSide, report.Progress.GlobalStep);
    }

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
