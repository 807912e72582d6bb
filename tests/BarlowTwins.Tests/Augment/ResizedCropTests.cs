using BarlowTwins.Augment;
using BarlowTwins.Data;
using BarlowTwins.Tests.Support;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace BarlowTwins.Tests.Augment;

/// <summary>The antialiased bicubic resized crop against torchvision (float) and PIL (8-bit).</summary>
public class ResizedCropTests(ITestOutputHelper output)
{
    // torchvision computes its weights in float32 and runs on float32 input; we compute weights in
    // float64, store them as float32 with the 1/255 folded in and run vertical-then-horizontal.
    // Each output sums ≤ 23 products of values ≤ 1: a few float32 ulps, so 1e-5 absolute.
    private const double FloatTolerance = 1e-5;

    // PIL stores its horizontal pass as 8-bit: it rounds (½ level) and, at hard edges, clips the
    // cubic kernel's overshoot to [0, 255] before the vertical pass, where we keep it in float.
    // Replaying PIL's clip in NumPy brings every pixel of all three photos within 1 level, so:
    // almost every value within 1 level (rounding), a few edge pixels up to 6 levels (clipping).
    private const double PilTypicalLevels = 1;
    private const double PilShareWithinTypical = 0.99;
    private const double PilEdgeLevels = 6;

    private static readonly FixtureOpKinds<ResampleFilter> CropKinds = new FixtureOpKinds<ResampleFilter>()
        .Add("resized_crop_bicubic_aa", _ => ResampleFilter.Bicubic)
        .Exclude("resized_crop_bicubic_noaa", "torchvision 0.14's tensor default without antialiasing; the pipeline resizes as PIL does (antialiased)");

    public static TheoryData<string, string, string> Crops() => AugmentFixtures.Ops("ops", "x", CropKinds);

    [Theory]
    [MemberData(nameof(Crops))]
    public void MatchesTorchvisionAntialiasedBicubic(string photo, string op, string variant)
    {
        Torch.Ensure();
        using var scope = NewDisposeScope();
        var result = Render(AugmentFixtures.Image(photo), AugmentFixtures.Box(photo), flip: false, CropKinds.Case(op, variant));
        double error = Compare.AbsoluteMax(result, AugmentFixtures.Op(photo, op));
        output.WriteLine($"{photo} {op}: max |ours − torchvision| = {error:E2}");
        Assert.True(error < FloatTolerance, $"{error}");
    }

    [Theory]
    [MemberData(nameof(AugmentFixtures.Photos), MemberType = typeof(AugmentFixtures))]
    public void MatchesPilBicubicWithinRounding(string photo)
    {
        Torch.Ensure();
        using var scope = NewDisposeScope();
        var result = AugmentFixtures.Quantize(Render(AugmentFixtures.Image(photo), AugmentFixtures.Box(photo), flip: false));
        var pil = AugmentFixtures.PilBase(photo);
        double levels = AugmentFixtures.Levels(result, pil);
        double within = ((result - pil).abs() * 255 <= PilTypicalLevels + 1e-3).to_type(ScalarType.Float64).mean().item<double>();
        output.WriteLine($"{photo}: max |ours − PIL| = {levels:F0} levels, {within:P2} within {PilTypicalLevels} level");
        Assert.True(levels <= PilEdgeLevels, $"{levels}");
        Assert.True(within >= PilShareWithinTypical, $"{within}");
    }

    [Theory]
    [MemberData(nameof(AugmentFixtures.Photos), MemberType = typeof(AugmentFixtures))]
    public void FlipMirrorsTheCrop(string photo)
    {
        Torch.Ensure();
        using var scope = NewDisposeScope();
        var image = AugmentFixtures.Image(photo);
        var box = AugmentFixtures.Box(photo);
        var flipped = Render(image, box, flip: true);
        Assert.True(Compare.AbsoluteMax(flipped, Render(image, box, flip: false).flip(3)) == 0, "flip is a permutation: exact");
        // hflip of the clamped base against torchvision's hflip of the same base.
        Assert.True(Compare.AbsoluteMax(flipped.clamp(0, 1), AugmentFixtures.Op(photo, "hflip")) < FloatTolerance);
    }

    [Fact]
    public void SameSizeIsIdentity()
    {
        Torch.Ensure();
        var image = Synthetic(7, 5, 3);
        var result = new float[3 * 7 * 5];
        ResizedCrop.Render(image, CropBox.Whole(7, 5), 7, 5, false, ResampleFilter.Bicubic, result);
        for (int c = 0; c < 3; c++)
            for (int i = 0; i < 35; i++)
                Assert.InRange(result[c * 35 + i] - image.Pixels[i * 3 + c] / 255.0, -1e-6, 1e-6); // float32 of x/255
    }

    [Fact]
    public void GreySourceFillsEveryChannel()
    {
        var image = Synthetic(9, 9, 1);
        var grey = new float[4 * 4];
        var rgb = new float[3 * 4 * 4];
        ResizedCrop.Render(image, new CropBox(1, 2, 6, 7), 4, 4, false, ResampleFilter.Bicubic, grey);
        ResizedCrop.Render(image, new CropBox(1, 2, 6, 7), 4, 4, false, ResampleFilter.Bicubic, rgb);
        for (int c = 0; c < 3; c++) Assert.Equal(grey, rgb.AsSpan(c * 16, 16).ToArray());
    }

    [Fact]
    public void BoxOutsideTheImageIsRejected()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            ResizedCrop.Render(Synthetic(8, 8, 3), new CropBox(4, 0, 5, 8), 4, 4, false, ResampleFilter.Bicubic, new float[48]));
        Assert.Contains("inside the 8×8 image", error.Message);
    }

    internal static ImageSample Synthetic(int height, int width, int channels)
    {
        var pixels = new byte[height * width * channels];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)(i * 37 % 256);
        return new ImageSample(pixels, height, width, channels, 0);
    }

    private static Tensor Render(ImageSample image, CropBox box, bool flip, ResampleFilter filter = ResampleFilter.Bicubic)
    {
        var result = new float[3 * 64 * 64];
        ResizedCrop.Render(image, box, 64, 64, flip, filter, result);
        return tensor(result, [1, 3, 64, 64]);
    }
}
