using BarlowTwins.Augment;
using BarlowTwins.Data;
using BarlowTwins.Tests.Support;
using SkiaSharp;

namespace BarlowTwins.Tests.Augment;

public sealed class ViewPreviewTests
{
    [Fact]
    public void ThePreviewShowsTheViewsPretrainingMakesWithTheSameFlags()
    {
        var scale = new Interval(0.4, 1);
        var preview = new PreviewOptions("fashion-mnist", "v.png", CropScale: scale, JitterStrength: 2);
        var pretraining = BarlowTwins.Training.Options.PretrainPresets.FashionMnist with { JitterStrength = 2 };
        Assert.Equal("fashion-mnist", preview.PresetName); // auto: the data kind's
        Assert.Equal(pretraining.ViewRecipe() with { Size = preview.ViewRecipe().Size }, preview.ViewRecipe());
        Assert.Equal(TwoViewRecipe.FashionMnist, (preview with { CropScale = null, JitterStrength = 1 }).ViewRecipe());
    }

    [Fact]
    public void WritesOneRowPerImageWithOriginalAndBothViews()
    {
        Torch.Ensure();
        using var temp = new TempFolder();
        var path = temp.File("views.png");
        var source = DataSpec.Parse("synthetic?count=20&size=32").Open(DataSplit.Train);

        ViewPreview.Write(source, TwoViewRecipe.Cifar, path, count: 3, seed: 1);

        using var png = SKBitmap.Decode(path);
        // Cells are 32 px enlarged 4× to 128, with 4 px gaps: 3·128 + 4·4 wide, 3·(128 + 4) + 4 high.
        Assert.Equal((400, 400), (png.Width, png.Height));
        // The original and its views fill their cells: the centre of every cell is not the grey background.
        for (int row = 0; row < 3; row++)
            for (int column = 0; column < 3; column++)
                Assert.NotEqual(new SKColor(128, 128, 128), png.GetPixel(4 + column * 132 + 64, 4 + row * 132 + 64));
    }
}
