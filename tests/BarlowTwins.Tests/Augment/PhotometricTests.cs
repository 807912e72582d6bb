using System.Text.RegularExpressions;
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

    /// <summary>An op of the torchvision fixtures as the pipeline runs it on a batch, and the largest difference allowed.</summary>
    public sealed record TorchvisionCase(Func<Tensor, Tensor> Apply, double Tolerance);

    private static Func<Tensor, Tensor> With(BatchedOp op, Match name, string group) =>
        x => op(x, tensor(new[] { FixtureOpKinds.Number(name, group) }));

    private static readonly FixtureOpKinds<TorchvisionCase> TorchvisionKinds = new FixtureOpKinds<TorchvisionCase>()
        // Elementwise in float32 like torchvision; the factor and 1 − factor are float32 here
        // where torchvision rounds 1 − factor from a double: one ulp of [0, 1] values.
        .Add(@"brightness_(?<f>[-\d.]+)", m => new(With(Photometric.Brightness, m, "f"), 1e-6))
        .Add(@"contrast_(?<f>[-\d.]+)", m => new(With(Photometric.Contrast, m, "f"), 1e-6))
        .Add(@"saturation_(?<f>[-\d.]+)", m => new(With(Photometric.Saturation, m, "f"), 1e-6))
        // The same HSV formulas in float32 (per pixel in C# on CPU, as tensor ops elsewhere); a hue shift moves h by f and h·6 picks a sector, so a
        // rounding of h can change v, p, q, t by the rounding times 6·s·v: a few ulps.
        .Add(@"hue_(?<f>[-\d.]+)", m => new(With(Photometric.Hue, m, "f"), 2e-6))
        .Add(@"hue_(?<f>[-\d.]+)", m => new(With(Photometric.HueTensor, m, "f"), 2e-6), "tensor ops")
        .Add(@"grayscale3", _ => new(x => Photometric.Grayscale(x), 1e-6))
        // Two 1-D passes (in C# on CPU, grouped convolutions elsewhere) where torchvision convolves once with the 2-D outer product: the same
        // K² products summed in another order (and the 2-D weights rounded once more), a few tens of float32 ulps at worst.
        .Add(@"gaussian_blur_k(?<k>\d+)_s(?<s>[\d.]+)", m => new(x => Photometric.GaussianBlur(x, Sigma(m), KernelSize(m)), 4e-6))
        .Add(@"gaussian_blur_k(?<k>\d+)_s(?<s>[\d.]+)", m => new(x => Photometric.GaussianBlurTensor(x, Sigma(m), KernelSize(m)), 4e-6), "tensor ops")
        .Add(@"solarize_0\.5", _ => new(x => Photometric.Solarize(x), 1e-7))
        .Add(@"normalize_imagenet", _ => new(x => Photometric.Normalize(x, TwoViewRecipe.ImageNetMean, TwoViewRecipe.ImageNetStd), 1e-6))
        .Add(@"hflip", _ => new(x => x.flip(3), 0))
        // Colour jitter in the order its letters are written (torchvision applies b, c, s, h as listed): the hue tolerance, hue being one of them.
        .Add(@"jitter_b(?<b>[-\d.]+)_c(?<c>[-\d.]+)_s(?<s>[-\d.]+)_h(?<h>[-\d.]+)", m => new(x => ViewPhotometrics.Apply(x,
            [Jitter(FixtureOpKinds.Number(m, "b"), FixtureOpKinds.Number(m, "c"), FixtureOpKinds.Number(m, "s"), FixtureOpKinds.Number(m, "h"),
                    new JitterOrder(0, 1, 2, 3))], blurKernelSize: 23), 2e-6));

    private static Tensor Sigma(Match name) => tensor(new[] { FixtureOpKinds.Number(name, "s") });

    private static int KernelSize(Match name) => (int)FixtureOpKinds.Number(name, "k");

    public static TheoryData<string, string, string> TorchvisionOps() => AugmentFixtures.Ops("ops", "base", TorchvisionKinds);

    [Theory]
    [MemberData(nameof(TorchvisionOps))]
    public void MatchesTorchvision(string photo, string op, string variant)
    {
        Torch.Ensure();
        using var scope = NewDisposeScope();
        var (apply, tolerance) = TorchvisionKinds.Case(op, variant);
        double error = Compare.AbsoluteMax(apply(AugmentFixtures.Base(photo)), AugmentFixtures.Op(photo, op));
        output.WriteLine($"{photo} {op} ({variant}): max abs error {error:E2} (tolerance {tolerance:E0})");
        Assert.True(error <= tolerance, $"{error}");
    }

    [Fact]
    public void EveryImageGetsItsOwnParametersAndOrder()
    {
        Torch.Ensure();
        using var scope = NewDisposeScope();
        var names = ReferenceCases.Names("augment").Take(3).ToList();
        Tensor[] photos = [.. names.Select(AugmentFixtures.Base)];
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
        Assert.True(Compare.AbsoluteMax(result[2].unsqueeze(0), AugmentFixtures.Op(names[2], "solarize_0.5")) == 0);
    }

    [Fact]
    public void PerImagePathEqualsTheBatchedPath()
    {
        Torch.Ensure();
        using var scope = NewDisposeScope();
        // Random draws of both paper views (blur with a 7-tap kernel at 64 px) on the photos.
        var recipe = TwoViewRecipe.ImageNet;
        var photos = ReferenceCases.Names("augment");
        var random = new SampleRandom(11, 0);
        double worst = 0;
        for (int k = 0; k < 24; k++)
        {
            var photo = photos[k % photos.Count];
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
        var grey = Photometric.Luma(AugmentFixtures.Base(ReferenceCases.Names("augment")[0])); // any photo of the manifest
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
