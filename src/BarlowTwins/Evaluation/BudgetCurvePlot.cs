using System.Globalization;
using SkiaSharp;

namespace BarlowTwins.Evaluation;

/// <summary>The time-to-accuracy PNG: linear probe and 200-NN top-1 against minutes, one line per recipe.</summary>
public static class BudgetCurvePlot
{
    private const int PanelWidth = 520, Height = 420, Left = 56, Right = 16, Top = 36, Bottom = 48;
    private static readonly SKColor[] Colours = [SKColors.Gray, SKColors.SteelBlue, SKColors.OrangeRed, SKColors.SeaGreen, SKColors.MediumPurple, SKColors.Goldenrod];

    /// <summary>Writes the two panels side by side to <paramref name="path"/>.</summary>
    public static void Write(IReadOnlyList<CurvePoint> points, string path)
    {
        using var surface = SKSurface.Create(new SKImageInfo(2 * PanelWidth, Height));
        surface.Canvas.Clear(SKColors.White);
        var recipes = points.Select(p => p.Recipe).Distinct().ToList();
        Panel(surface.Canvas, 0, "linear probe top-1 %", points, recipes, p => p.Probe);
        Panel(surface.Canvas, PanelWidth, "200-NN top-1 %", points, recipes, p => p.Knn);
        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        png.SaveTo(file);
    }

    private static void Panel(SKCanvas canvas, float x0, string title, IReadOnlyList<CurvePoint> points, List<string> recipes,
                              Func<CurvePoint, double> value)
    {
        using var font = new SKFont(SKTypeface.Default, 13);
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        using var grid = new SKPaint { Color = new SKColor(225, 225, 225), StrokeWidth = 1, Style = SKPaintStyle.Stroke };
        float w = PanelWidth - Left - Right, h = Height - Top - Bottom;
        // Room above the highest point for the legend (top left, one line per recipe).
        double xMax = points.Max(p => p.Minutes), yMin = Math.Floor(points.Min(value)) - 1;
        double yMax = Math.Ceiling(points.Max(value) + (points.Max(value) - yMin) * 0.06 * (recipes.Count + 1)) + 1;
        float X(double m) => x0 + Left + (float)(m / xMax) * w;
        float Y(double v) => Top + (float)((yMax - v) / (yMax - yMin)) * h;
        canvas.DrawText(title + " vs pre-training minutes", x0 + Left, Top - 14, font, ink);
        double step = Step(yMax - yMin);
        for (double v = Math.Ceiling(yMin / step) * step; v <= yMax; v += step)
        {
            canvas.DrawLine(x0 + Left, Y(v), x0 + Left + w, Y(v), grid);
            canvas.DrawText(v.ToString("0.#", CultureInfo.InvariantCulture), x0 + 8, Y(v) + 4, font, ink);
        }
        foreach (double m in points.Select(p => p.Minutes).Distinct())
        {
            canvas.DrawLine(X(m), Top, X(m), Top + h, grid);
            canvas.DrawText(m.ToString("0.#", CultureInfo.InvariantCulture), X(m) - 6, Top + h + 18, font, ink);
        }
        canvas.DrawText("minutes", x0 + Left + w / 2 - 24, Height - 10, font, ink);
        foreach (var (recipe, index) in recipes.Select((r, i) => (r, i)))
        {
            using var line = new SKPaint { Color = Colours[index % Colours.Length], StrokeWidth = 2.5f, IsAntialias = true, Style = SKPaintStyle.Stroke };
            var mine = points.Where(p => p.Recipe == recipe).OrderBy(p => p.Minutes).ToList();
            for (int i = 0; i < mine.Count; i++)
            {
                if (i > 0) canvas.DrawLine(X(mine[i - 1].Minutes), Y(value(mine[i - 1])), X(mine[i].Minutes), Y(value(mine[i])), line);
                canvas.DrawCircle(X(mine[i].Minutes), Y(value(mine[i])), 3.5f, line);
            }
            using var label = new SKPaint { Color = line.Color, IsAntialias = true };
            canvas.DrawLine(x0 + Left + 10, Top + 14 + 16 * index, x0 + Left + 30, Top + 14 + 16 * index, line);
            canvas.DrawText(recipe, x0 + Left + 36, Top + 18 + 16 * index, font, label);
        }
    }

    private static double Step(double range) => range <= 6 ? 1 : range <= 15 ? 2 : 5;
}
