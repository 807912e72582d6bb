using BarlowTwins.Evaluation;
using BarlowTwins.Tests.Data;
using SkiaSharp;

namespace BarlowTwins.Tests.Evaluation;

/// <summary>The time-to-accuracy table and plot.</summary>
public sealed class BudgetCurveTests
{
    private static readonly CurvePoint[] Points =
    [
        new("preset", 5, 200, 80.5, 70.25), new("preset", 10, 400, 83.0, 74.0),
        new("multi-crop", 5, 120, 82.0, 73.5), new("multi-crop", 10, 240, 84.75, 76.0),
    ];

    [Fact]
    public void TableHasOneRowPerBudgetAndOneColumnPerRecipe()
    {
        var options = new CurveOptions([], [5, 10]);
        var lines = BudgetCurve.Markdown(Points, options).Split('\n', StringSplitOptions.TrimEntries);
        Assert.Contains("| minutes | preset | multi-crop |", lines);
        Assert.Contains("| 5 | 80.50 / 70.25 (200) | 82.00 / 73.50 (120) |", lines);
        Assert.Contains("| 10 | 83.00 / 74.00 (400) | 84.75 / 76.00 (240) |", lines);
    }

    [Fact]
    public void PlotIsAPngOfBothPanels()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "curve.png");
        BudgetCurvePlot.Write(Points, path);
        using var bitmap = SKBitmap.Decode(path);
        Assert.Equal(1040, bitmap.Width);
        Assert.Equal(420, bitmap.Height);
    }

    [Theory]
    [InlineData("no-equals-sign")]
    [InlineData("=missing-name.json")]
    [InlineData("name=")]
    public void RecipeMustBeNameEqualsConfig(string text) =>
        Assert.ThrowsAny<Exception>(() => CurveRecipe.Parse(text));
}
