using System.Globalization;
using SkiaSharp;

namespace BarlowTwins.Evaluation;

/// <summary>
/// Draws a <see cref="ConfusionMatrix"/> as a PNG: one cell per (label, prediction), shaded by the
/// share of the label's row it holds, the count written in it, class names on both axes.
/// </summary>
public static class ConfusionMatrixImage
{
    private const int Cell = 56;
    private const int Margin = 150;
    private const float FontSize = 14;

    /// <summary>Writes <paramref name="matrix"/> to <paramref name="path"/> as a PNG.</summary>
    public static void Save(ConfusionMatrix matrix, string path, string title = "")
    {
        int n = matrix.Classes.Count;
        int size = Margin + n * Cell + 20;
        using var surface = SKSurface.Create(new SKImageInfo(size, size + 30));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var font = new SKFont(SKTypeface.Default, FontSize);
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        canvas.DrawText(title, 10, 22, font, ink);
        canvas.Translate(0, 30);
        DrawCells(canvas, matrix, font);
        DrawAxes(canvas, matrix.Classes, font, ink);
        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var file = File.Create(path);
        png.SaveTo(file);
    }

    private static void DrawCells(SKCanvas canvas, ConfusionMatrix matrix, SKFont font)
    {
        int n = matrix.Classes.Count;
        using var fill = new SKPaint { Style = SKPaintStyle.Fill };
        using var text = new SKPaint { IsAntialias = true };
        for (int r = 0; r < n; r++)
        {
            long rowTotal = Enumerable.Range(0, n).Sum(c => matrix[r, c]);
            for (int c = 0; c < n; c++)
            {
                double share = rowTotal == 0 ? 0 : (double)matrix[r, c] / rowTotal;
                byte shade = (byte)(255 - 200 * share);
                fill.Color = new SKColor(shade, shade, 255);
                var rect = SKRect.Create(Margin + c * Cell, Margin + r * Cell, Cell, Cell);
                canvas.DrawRect(rect, fill);
                text.Color = share > 0.5 ? SKColors.White : SKColors.Black;
                canvas.DrawText(matrix[r, c].ToString(CultureInfo.InvariantCulture), rect.MidX, rect.MidY + FontSize / 3,
                                SKTextAlign.Center, font, text);
            }
        }
    }

    private static void DrawAxes(SKCanvas canvas, IReadOnlyList<string> classes, SKFont font, SKPaint ink)
    {
        canvas.DrawText("label ↓  prediction →", 10, Margin - 10, font, ink);
        for (int i = 0; i < classes.Count; i++)
        {
            float middle = Margin + i * Cell + Cell / 2f;
            canvas.DrawText(classes[i], Margin - 8, middle + FontSize / 3, SKTextAlign.Right, font, ink);
            canvas.Save();
            canvas.Translate(middle + FontSize / 3, Margin - 8);
            canvas.RotateDegrees(-60);
            canvas.DrawText(classes[i], 0, 0, SKTextAlign.Left, font, ink);
            canvas.Restore();
        }
    }
}
