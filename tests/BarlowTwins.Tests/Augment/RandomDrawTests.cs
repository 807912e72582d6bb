using BarlowTwins.Augment;
using Xunit.Abstractions;

namespace BarlowTwins.Tests.Augment;

/// <summary>
/// The random parameters of both paper views follow the specified distributions: a few thousand
/// draws each, with bounds (4.5σ binomial, KS at α = 0.001) that a wrong distribution fails —
/// e.g. a uniform instead of log-uniform ratio gives a KS distance of 0.07, over twice the bound.
/// </summary>
public class RandomDrawTests(ITestOutputHelper output)
{
    private const int Draws = 4000;
    private const int Side = 1000; // large, so rounding crop sides to pixels moves area and ratio by < 0.3 %

    private static readonly TwoViewRecipe Paper = TwoViewRecipe.ImageNet;

    private static (ViewDraw A, ViewDraw B)[] DrawBoth(int height = Side, int width = Side) =>
        Enumerable.Range(0, Draws).Select(i =>
        {
            var random = new SampleRandom(seed: 2021, index: i);
            return (ViewSampler.Draw(Paper.A, height, width, random), ViewSampler.Draw(Paper.B, height, width, random));
        }).ToArray();

    [Fact]
    public void CropAreaIsUniformAndRatioLogUniform()
    {
        var crops = DrawBoth().SelectMany(d => new[] { d.A.Crop, d.B.Crop }).ToArray();
        var fractions = crops.Select(c => (double)c.Height * c.Width / (Side * Side)).ToArray();
        Assert.All(fractions, f => Assert.InRange(f, 0.08 * 0.997, 1.0));
        Assert.All(crops, c => Assert.InRange((double)c.Width / c.Height, 0.75 * 0.997, 4.0 / 3 * 1.003));
        Assert.All(crops, c => c.EnsureInside(Side, Side));
        // On a square image every proposal with area < 0.75 fits whatever its ratio (√(0.75·4/3) = 1),
        // so below 0.7 the accepted crops keep the proposal's distributions exactly.
        var unrejected = crops.Where(c => (double)c.Height * c.Width / (Side * Side) < 0.7).ToArray();
        double dArea = Statistics.AssertDistribution("area fraction | < 0.7",
            unrejected.Select(c => (double)c.Height * c.Width / (Side * Side)).ToArray(), Statistics.Uniform(0.08, 0.7));
        double dRatio = Statistics.AssertDistribution("log ratio | area < 0.7",
            unrejected.Select(c => Math.Log((double)c.Width / c.Height)).ToArray(), Statistics.Uniform(Math.Log(0.75), Math.Log(4.0 / 3)));
        double dTop = Statistics.AssertDistribution("top / (side − height)",
            unrejected.Select(c => c.Top / (double)(Side - c.Height)).ToArray(), Statistics.Uniform(0, 1));
        output.WriteLine($"{unrejected.Length} crops: KS area {dArea:F4}, log-ratio {dRatio:F4}, top {dTop:F4} (bound {1.95 / Math.Sqrt(unrejected.Length):F4})");
    }

    [Fact]
    public void CropFallsBackToTheCentreWhenNothingFits()
    {
        // A 1 × 100 strip: no crop of ratio 3/4 … 4/3 fits, so torchvision's fallback applies:
        // full height, width = round(height · 4/3), centred.
        var crop = ViewSampler.RandomCrop(new Interval(0.08, 1), new Interval(0.75, 4.0 / 3), 1, 100, new SampleRandom(1, 0));
        Assert.Equal(new CropBox(0, 49, 1, 1), crop);
    }

    [Fact]
    public void EveryProbabilityMatchesTheTable()
    {
        var draws = DrawBoth();
        foreach (var (view, recipe, pick) in new (string, ViewRecipe, Func<(ViewDraw A, ViewDraw B), ViewDraw>)[]
                 {
                     ("A", Paper.A, d => d.A), ("B", Paper.B, d => d.B),
                 })
        {
            var v = draws.Select(pick).ToArray();
            Statistics.AssertRate($"{view} flip", v.Count(d => d.Flip), Draws, recipe.FlipProbability);
            Statistics.AssertRate($"{view} jitter", v.Count(d => d.Jitter), Draws, recipe.JitterProbability);
            Statistics.AssertRate($"{view} grey", v.Count(d => d.Grayscale), Draws, recipe.GrayscaleProbability);
            Statistics.AssertRate($"{view} blur", v.Count(d => d.Blur), Draws, recipe.BlurProbability);
            Statistics.AssertRate($"{view} solarize", v.Count(d => d.Solarize), Draws, recipe.SolarizeProbability);
            output.WriteLine($"view {view}: flip {Rate(v, d => d.Flip)}, jitter {Rate(v, d => d.Jitter)}, grey {Rate(v, d => d.Grayscale)}, " +
                             $"blur {Rate(v, d => d.Blur)}, solarize {Rate(v, d => d.Solarize)}");
        }
        Assert.Equal([1.0, 0.1, 0.0, 0.2], new[] { Paper.A.BlurProbability, Paper.B.BlurProbability, Paper.A.SolarizeProbability, Paper.B.SolarizeProbability });
    }

    [Fact]
    public void JitterFactorsAndSigmaAreUniformInTheirRanges()
    {
        var draws = DrawBoth().SelectMany(d => new[] { d.A, d.B }).ToArray();
        var jittered = draws.Where(d => d.Jitter).ToArray();
        var blurred = draws.Where(d => d.Blur).ToArray();
        var distances = new[]
        {
            Statistics.AssertDistribution("brightness", jittered.Select(d => (double)d.Brightness).ToArray(), Statistics.Uniform(0.6, 1.4)),
            Statistics.AssertDistribution("contrast", jittered.Select(d => (double)d.Contrast).ToArray(), Statistics.Uniform(0.6, 1.4)),
            Statistics.AssertDistribution("saturation", jittered.Select(d => (double)d.Saturation).ToArray(), Statistics.Uniform(0.8, 1.2)),
            Statistics.AssertDistribution("hue", jittered.Select(d => (double)d.Hue).ToArray(), Statistics.Uniform(-0.1, 0.1)),
            Statistics.AssertDistribution("σ", blurred.Select(d => (double)d.Sigma).ToArray(), Statistics.Uniform(0.1, 2.0)),
        };
        output.WriteLine($"KS distances brightness/contrast/saturation/hue/σ: {string.Join(", ", distances.Select(d => d.ToString("F4")))} " +
                         $"over {jittered.Length} jittered and {blurred.Length} blurred views");
        Assert.All(draws.Where(d => !d.Jitter), d => Assert.Equal((1f, 1f, 1f, 0f), (d.Brightness, d.Contrast, d.Saturation, d.Hue)));
    }

    [Fact]
    public void JitterOrderIsAUniformPermutation()
    {
        var orders = DrawBoth().SelectMany(d => new[] { d.A, d.B }).Where(d => d.Jitter).Select(d => d.Order).ToArray();
        Assert.All(orders, o => Assert.Equal([0, 1, 2, 3], new[] { o[0], o[1], o[2], o[3] }.Select(b => (int)b).Order()));
        for (int position = 0; position < 4; position++)
            for (int op = 0; op < 4; op++)
                Statistics.AssertRate($"op {op} at position {position}", orders.Count(o => o[position] == op), orders.Length, 0.25);
        var permutations = orders.GroupBy(o => o).Select(g => g.Count()).ToArray();
        Assert.Equal(24, permutations.Length);
        double expected = orders.Length / 24.0;
        double chiSquare = permutations.Sum(c => (c - expected) * (c - expected) / expected);
        output.WriteLine($"{orders.Length} orders, χ² over 24 permutations = {chiSquare:F1} (23 d.o.f., 0.001 critical value 49.7)");
        Assert.True(chiSquare < 49.7, $"χ² {chiSquare}");
    }

    [Fact]
    public void ViewsAndImagesDrawIndependently()
    {
        var draws = DrawBoth();
        Assert.True(draws.Count(d => d.A.Crop == d.B.Crop) < 5, "views of one image must get different crops");
        Assert.True(draws.Select(d => d.A.Crop).Distinct().Count() > Draws * 0.99, "images must get different crops");
        Statistics.AssertRate("A and B both flipped", draws.Count(d => d.A.Flip && d.B.Flip), Draws, 0.25);
    }

    private static string Rate(ViewDraw[] draws, Func<ViewDraw, bool> selected) => $"{draws.Count(selected) / (double)Draws:F3}";
}
