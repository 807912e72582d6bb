using BarlowTwins.Augment;
using BarlowTwins.Tests.Support;
using static TorchSharp.torch;

namespace BarlowTwins.Tests.Augment;

/// <summary>
/// <see cref="TwoViewRecipe.WithJitterStrength"/>: strength 1 is every preset unchanged, down to
/// the tensors; another strength scales the four jitter ranges of every view and nothing else.
/// </summary>
public sealed class JitterStrengthTests
{
    // The paper's recipe at 24 px with two 12 px small views: every view kind on tiny tensors.
    private static readonly TwoViewRecipe Small = WithLocals(TwoViewRecipe.ImageNet with { Size = 24 });

    private static TwoViewRecipe WithLocals(TwoViewRecipe recipe) =>
        recipe with { Locals = LocalViews.FromViewB(recipe, 2, 12, new Interval(0.1, 0.4)) };

    [Fact]
    public void StrengthOneGivesEveryPresetsRecipe()
    {
        foreach (var (name, preset) in TwoViewRecipe.Presets)
        {
            Assert.True(preset == preset.WithJitterStrength(1), $"{name} changed at strength 1");
            Assert.Equal(WithLocals(preset), WithLocals(preset).WithJitterStrength(1));
        }
    }

    [Fact]
    public void StrengthOneGivesTheSameTensorsAndTwoOthers()
    {
        Torch.Ensure();
        using var scope = NewDisposeScope();
        var images = TransformTests.Images(4);
        using var plain = new TwoViewTransform(Small, parallelism: 1).Apply(images, seed: 3);
        using var one = new TwoViewTransform(Small.WithJitterStrength(1), parallelism: 1).Apply(images, seed: 3);
        using var two = new TwoViewTransform(Small.WithJitterStrength(2), parallelism: 1).Apply(images, seed: 3);
        Assert.True(Compare.AbsoluteMax(plain.ViewA, one.ViewA) == 0 && Compare.AbsoluteMax(plain.ViewB, one.ViewB) == 0
                    && Compare.AbsoluteMax(plain.Locals!, one.Locals!) == 0, "strength 1 changed the views");
        Assert.True(Compare.AbsoluteMax(plain.ViewA, two.ViewA) > 0 && Compare.AbsoluteMax(plain.Locals!, two.Locals!) > 0,
                    "strength 2 left the views as they were");
    }

    [Fact]
    public void StrengthTwoDoublesBrightnessContrastSaturationAndCapsHue()
    {
        var strong = (Small with { B = Small.B with { Hue = 0.3 } }).WithJitterStrength(2);
        foreach (var (view, paper) in new[] { (strong.A, Small.A), (strong.B, Small.B), (strong.Locals!.View, Small.Locals!.View) })
        {
            Assert.Equal((0.8, 0.8, 0.4), (view.Brightness, view.Contrast, view.Saturation));
            // Only the four ranges change: how often jitter applies, the crops and the rest stay.
            Assert.Equal(paper with { Brightness = 0.8, Contrast = 0.8, Saturation = 0.4, Hue = view.Hue }, view);
        }
        Assert.Equal((0.2, 0.5), (strong.A.Hue, strong.B.Hue)); // 2 × 0.1, and 2 × 0.3 capped at half a turn
        strong.Validate();
        var off = Small.A.WithJitterStrength(0);
        Assert.Equal((0.0, 0.0, 0.0, 0.0), (off.Brightness, off.Contrast, off.Saturation, off.Hue));
    }
}
