using BarlowTwins.Augment;
using BarlowTwins.Cli.Commands;
using BarlowTwins.Training.Options;

namespace BarlowTwins.Tests.Cli;

/// <summary><c>barlow preview</c> shows the views that <c>pretrain --preset NAME</c> trains on.</summary>
public sealed class PreviewCommandTests
{
    [Fact]
    public void FashionMnistPreviewCropsAsThePretrainingPreset()
    {
        var shown = PreviewCommand.AsTrained(new PreviewOptions("fashion-mnist", "views.png")).ViewRecipe();
        Assert.Equal(PretrainPresets.FashionMnist.ViewRecipe().A.CropScale, shown.A.CropScale);
        Assert.Equal(PretrainPresets.FashionMnist.ViewRecipe().B.CropScale, shown.B.CropScale);
    }

    [Fact]
    public void AGivenCropScaleWins()
    {
        var given = new PreviewOptions("fashion-mnist", "views.png", CropScale: new Interval(0.3, 1));
        Assert.Equal(new Interval(0.3, 1), PreviewCommand.AsTrained(given).CropScale);
    }

    [Fact]
    public void APresetTheTrainingPresetsLeaveAloneKeepsItsOwnCrops()
    {
        var options = new PreviewOptions("folder:/photos", "views.png", Augment: "imagenet");
        Assert.Equal(TwoViewRecipe.Preset("imagenet").A.CropScale, PreviewCommand.AsTrained(options).ViewRecipe().A.CropScale);
    }
}
