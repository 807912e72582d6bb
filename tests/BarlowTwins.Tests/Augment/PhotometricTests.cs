using BarlowTwins.Augment;
using BarlowTwins.Tests.Support;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace BarlowTwins.Tests.Augment;

/// <summary>Each batched photometric op against torchvision's tensor op and PIL's 8-bit op on the same photos.</summary>
public class PhotometricTests(ITestOutputHelper output)
{
    /// <summary>An op with one parameter per image, as the pipeline calls it.</summary>
    public delegate Tensor BatchedOp(Tensor images, Tensor parameters);

    private static readonly Dictionary<string, (BatchedOp Op, float Parameter, double Tolerance)> TorchvisionCases = new()
    {
        // Elementwise in float32 like torchvision; the factor and 1 − factor are float32 here
        // where torchvision rounds 1 − factor from a double: one ulp of [0, 1] values.
        ["brightness_1.3"] = (Photometric.Brightness, 1.3f, 1e-6),
        ["brightness_0.6"] = (Photometric.Brightness, 0.6f, 1e-6),
        ["contrast_0.7"] = (Photometric.Contrast, 0.7f, 1e-6),
        ["contrast_1.4"] = (Photometric.Contrast, 1.4f, 1e-6),
        ["saturation_0.8"] = (Photometric.Saturation, 0.8f, 1e-6),
        ["saturation_1.2"] = (Photometric.Saturation, 1.2f, 1e-6),
        // The same HSV formulas in float32 (per pixel in C# on CPU, as tensor ops elsewhere); a hue shift moves h by f and h·6 picks a sector, so a
        // rounding of h can change v, p, q, t by the rounding times 6·s·v: a few ulps.
        ["hue_0.05"] = (Photometric.Hue, 0.05f, 2e-6),
        ["hue_-0.1"] = (Photometric.Hue, -0.1f, 2e-6),
        ["grayscale3"] = ((x, _) => Photometric.Grayscale(x), 0, 1e-6),
        // Two 1-D passes (in C# on CPU, grouped convolutions elsewhere) where torchvision convolves once with the 2-D outer product: the same
        // 23² products summed in another order (and the 2-D weights rounded once more), a few
        // tens of float32 ulps at worst; measured ≤ 1.6e-6.
        ["gaussian_blur_k7_s1.0"] = ((x, s) => Photometric.GaussianBlur(x, s, 7), 1.0f, 4e-6),
        ["gaussian_blur_k23_s2.0"] = ((x, s) => Photometric.GaussianBlur(x, s, 23), 2.0f, 4e-6),
        ["hue_0.05 tensor ops"] = (Photometric.HueTensor, 0.05f, 2e-6),
        ["gaussian_blur_k23_s2.0 tensor ops"] = ((x, s) => Photometric.GaussianBlurTensor(x, s, 23), 2.0f, 4e-6),
        ["solarize_0.5"] = ((x, _) => Photometric.Solarize(x), 0, 1e-7),
        ["normalize_imagenet"] = ((x, _) => Photometric.Normalize(x, TwoViewRecipe.ImageNetMean, TwoViewRecipe.ImageNetStd), 0, 1e-6),
        ["hflip"] = ((x, _) => x.flip(3), 0, 0),
    };

    public static TheoryData<string, string> TorchvisionOps() => AugmentFixtures.PhotosTimes(TorchvisionCases.Keys);

    [Theory]
    [MemberData(nameof(TorchvisionOps))]
    public void MatchesTorchvision(string photo, string op)
    {
        Torch.Ensure();
        using var scope = NewDisposeScope();
        var (apply, parameter, tolerance) = TorchvisionCases[op];
        var result = apply(AugmentFixtures.Base(photo), tensor(new[] { parameter }));
        double error = Compare.AbsoluteMax(result, AugmentFixtures.Op(photo, op.Replace(" tensor ops", "")));
        output.WriteLine($"{photo} {op}: max abs error {error:E2} (tolerance {tolerance:E0})");
        Assert.True(error <= tolerance, $"{error}");
    }

    [Theory]
    [MemberData(nameof(AugmentFixtures.Photos), MemberType = typeof(AugmentFixtures))]
    public void JitterInGivenOrderMatchesTorchvision(string photo)
    {
        Torch.Ensure();
        using var scope = NewDisposeScope();
        var draw = Jitter(1.2f, 0.8f, 1.1f, 0.03f, new JitterOrder(0, 1, 2, 3));
        var result = ViewPhotometrics.Apply(AugmentFixtures.Base(photo), [draw], blurKernelSize: 23);
        double error = Compare.AbsoluteMax(result, AugmentFixtures.Op(photo, "jitter_b1.2_c0.8_s1.1_h0.03"));
        output.WriteLine($"{photo} jitter b→c→s→h: max abs error {error:E2}");
        Assert.True(error <= 2e-6, $"{error}"); // the hue tolerance: hue comes last
    }

    [Fact]
    public void EveryImageGetsItsOwnParametersAndOrder()
    {
        Torch.Ensure();
        using var scope = NewDisposeScope();
        Tensor[] photos = [.. new[] { "grace_hopper", "china", "flower" }.Select(AugmentFixtures.Base)];
        var batch = cat(photos, 0);
        ViewDraw[] draws =
        [
            Jitter(1.3f, 0.7f, 1.2f, 0.05f, new JitterOrder(3, 2, 1, 0)) with { Grayscale = true },
            Jitter(0.6f, 1.4f, 0.8f, -0.1f, new JitterOrder(1, 3, 0, 2)) with { Blur = true, Sigma = 1.5f },
            Jitter(1, 1, 1, 0, new JitterOrder(0, 1, 2, 3)) with { Jitter = false, Solarize = true },
        ];
        var result = ViewPhotometrics.Apply(batch, draws, blurKernelSize: 7);
        for (int i = 0; i < draws.Length; i++)
        {
            var alone = ViewPhotometrics.Apply(photos[i], [draws[i]], blurKernelSize: 7);
            Assert.True(Compare.AbsoluteMax(result[i].unsqueeze(0), alone) == 0, $"image {i} differs inside the batch");
            Assert.True(Compare.AbsoluteMax(alone, Sequential(photos[i], draws[i])) <= 4e-6, $"image {i} differs from the ops one by one");
        }
        Assert.True(Compare.AbsoluteMax(result[2].unsqueeze(0), AugmentFixtures.Op("flower", "solarize_0.5")) == 0);
    }

    [Fact]
    public void PerImagePathEqualsTheBatchedPath()
    {
        Torch.Ensure();
        using var scope = NewDisposeScope();
        // Random draws of both paper views (blur with a 7-tap kernel at 64 px) on the three photos.
        var recipe = TwoViewRecipe.ImageNet;
        var random = new SampleRandom(11, 0);
        double worst = 0;
        for (int k = 0; k < 24; k++)
        {
            var photo = new[] { "grace_hopper", "china", "flower" }[k % 3];
            var draw = ViewSampler.Draw(k % 2 == 0 ? recipe.A : recipe.B, 64, 64, random);
            var input = AugmentFixtures.Base(photo);
            var batched = recipe.Normalization.Apply(ViewPhotometrics.Apply(input, [draw], blurKernelSize: 7));
            var pixels = input.data<float>().ToArray();
            ViewPhotometrics.ApplyInPlace(pixels, 3, 64, draw, 7, recipe.Normalization);
            worst = Math.Max(worst, Compare.AbsoluteMax(tensor(pixels, [1, 3, 64, 64]), batched));
        }
        output.WriteLine($"per-image vs batched, 24 random views: max abs error {worst:E2} (normalised units)");
        // Same float32 formulas; the contrast mean is summed in another order, and a clamp can
        // turn an ulp into a difference at the boundary: a few ulps of [0, 1], ÷ std 0.224.
        Assert.True(worst <= 2e-5, $"{worst}");
    }

    [Fact]
    public void GreyImagesKeepTheirChannelForColourOps()
    {
        Torch.Ensure();
        using var scope = NewDisposeScope();
        var grey = Photometric.Luma(AugmentFixtures.Base("china"));
        var factor = tensor(new[] { 1.2f });
        Assert.True(Compare.AbsoluteMax(Photometric.Saturation(grey, factor), grey) == 0, "saturation of grey is identity");
        Assert.True(Compare.AbsoluteMax(Photometric.Hue(grey, tensor(new[] { 0.1f })), grey) == 0, "hue of grey is identity");
        Assert.True(Compare.AbsoluteMax(Photometric.Grayscale(grey), grey) == 0, "grey of grey is identity");
        Assert.True(Compare.AbsoluteMax(Photometric.Brightness(grey, factor), (grey * 1.2f).clamp(0, 1)) == 0);
        var contrast = Photometric.Contrast(grey, tensor(new[] { 0.5f }));
        Assert.True(Compare.AbsoluteMax(contrast, (0.5f * grey + 0.5f * grey.mean()).clamp(0, 1)) < 1e-6);
        Assert.Equal([1L, 1, 64, 64], Photometric.GaussianBlur(grey, tensor(new[] { 1f }), 7).shape);
    }

    private static Tensor Sequential(Tensor image, ViewDraw draw)
    {
        var x = image;
        BatchedOp[] ops = [Photometric.Brightness, Photometric.Contrast, Photometric.Saturation, Photometric.Hue];
        if (draw.Jitter)
            for (int k = 0; k < 4; k++) x = ops[draw.Order[k]](x, tensor(new[] { draw.Factor(draw.Order[k]) }));
        if (draw.Grayscale) x = Photometric.Grayscale(x);
        if (draw.Blur) x = Photometric.GaussianBlur(x, tensor(new[] { draw.Sigma }), 7);
        return draw.Solarize ? Photometric.Solarize(x) : x;
    }

    internal static ViewDraw Jitter(float brightness, float contrast, float saturation, float hue, JitterOrder order) =>
        new(default, false, true, brightness, contrast, saturation, hue, order, false, false, 0, false);
}
