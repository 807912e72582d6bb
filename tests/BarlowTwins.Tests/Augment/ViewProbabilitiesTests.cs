using BarlowTwins.Augment;
using BarlowTwins.Training.Options;

namespace BarlowTwins.Tests.Augment;

/// <summary>
/// <c>--blur a,b</c> and <c>--solarize a,b</c>: they replace those two probabilities of the global
/// views and nothing else, multi-crop's small views follow view B, and no value leaves the recipe as it is.
/// </summary>
public sealed class ViewProbabilitiesTests
{
    [Fact]
    public void BlurAndSolarizeReplaceOnlyTheirProbabilitiesAndTheSmallViewsFollowViewB()
    {
        var preset = PretrainPresets.FashionMnist with { LocalCrops = 2, LocalSize = 14 };
        var changed = (preset with { Blur = ViewProbabilities.Parse("1, 0.1"), Solarize = new(0.1, 0.3) }).ViewRecipe();
        var plain = preset.ViewRecipe();
        Assert.Equal(plain.A with { BlurProbability = 1, SolarizeProbability = 0.1 }, changed.A);
        Assert.Equal(plain.B with { BlurProbability = 0.1, SolarizeProbability = 0.3 }, changed.B);
        Assert.Equal(changed.B with { CropScale = plain.Locals!.View.CropScale }, changed.Locals!.View);
        Assert.Equal((plain.Size, plain.Normalization), (changed.Size, changed.Normalization));
    }

    [Fact]
    public void UnsetLeavesEveryPresetsRecipe()
    {
        foreach (var recipe in TwoViewRecipe.Presets.Values)
            Assert.Equal(recipe, recipe.Adjusted(1, null, null, null));
        Assert.Null(PretrainOptionsJson.Read("{}").Blur); // configs written before the options
        Assert.Null(PretrainOptionsJson.Read("{}").Solarize);
    }

    [Fact]
    public void ValuesOutsideZeroToOneAndBadTextAreRefusedNamingTheFlag()
    {
        var problems = (PretrainPresets.FashionMnist with { Blur = new(1.5, 0), Solarize = new(0, -0.1) }).Problems();
        Assert.Contains(problems, p => p.StartsWith("blur must be a,b", StringComparison.Ordinal) && p.Contains("1.5,0"));
        Assert.Contains(problems, p => p.StartsWith("solarize must be a,b", StringComparison.Ordinal));
        Assert.Empty((PretrainPresets.FashionMnist with { Blur = new(0, 1) }).Problems());
        Assert.Contains("a,b", Assert.Throws<FormatException>(() => ViewProbabilities.Parse("0.2")).Message);
        Assert.Throws<FormatException>(() => ViewProbabilities.Parse("x,0.2"));
    }

    [Fact]
    public void IsAJsonKeyWrittenAndReadBack()
    {
        var options = PretrainOptionsJson.Overlay(PretrainPresets.FashionMnist, """{ "solarize": { "a": 0, "b": 0 } }""");
        Assert.Equal(new ViewProbabilities(0, 0), options.Solarize);
        Assert.Equal(options, PretrainOptionsJson.Read(PretrainOptionsJson.Write(options)));
    }
}
