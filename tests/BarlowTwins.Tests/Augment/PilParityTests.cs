using System.Text.RegularExpressions;
using BarlowTwins.Augment;
using BarlowTwins.Tests.Support;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace BarlowTwins.Tests.Augment;

/// <summary>
/// Our float ops applied to PIL's 8-bit crop, rounded to bytes, against the PIL ops of the
/// authors' release. PIL works in 8 bits (and in places in integers), so results differ by whole
/// levels; each tolerance below names the cause. These bound how far the authors' pipeline and
/// ours can disagree, while the torchvision tests pin our numerics.
/// </summary>
public class PilParityTests(ITestOutputHelper output)
{
    /// <summary>An op of the PIL fixtures as the pipeline runs it, the levels it may differ by, the border left out, and why.</summary>
    public sealed record PilCase(Func<Tensor, Tensor> Apply, double Levels, int Margin, string Why);

    private static Func<Tensor, Tensor> With(PhotometricTests.BatchedOp op, Match name, string group) =>
        x => op(x, tensor(new[] { FixtureOpKinds.Number(name, group) }));

    private static readonly FixtureOpKinds<PilCase> Kinds = new FixtureOpKinds<PilCase>()
        .Add(@"brightness_(?<f>[-\d.]+)", m => new(With(Photometric.Brightness, m, "f"), 1, 0, "PIL blends in 8 bits: one rounding"))
        .Add(@"contrast_(?<f>[-\d.]+)", m => new(With(Photometric.Contrast, m, "f"), 1, 0, "PIL blends with the rounded integer mean of its 8-bit L image"))
        .Add(@"saturation_(?<f>[-\d.]+)", m => new(With(Photometric.Saturation, m, "f"), 2, 0,
                                                    "PIL blends with its 8-bit L image (weights 299/587/114, rounded), then rounds"))
        .Add(@"grayscale3", _ => new(x => Photometric.Grayscale(x), 1, 0, "PIL's L = (299 R + 587 G + 114 B) / 1000 rounded, vs 0.2989/0.587/0.114"))
        .Add(@"solarize_128", _ => new(x => Photometric.Solarize(x), 0, 0, "v ≥ 128 ⇔ v/255 ≥ 0.5 for bytes: identical"))
        // PIL converts to 8-bit HSV: hue in 256 steps of 1.4°, S and V rounded, then back: at
        // saturated pixels one hue step moves a channel by v·6/256 ≈ 6 levels, plus S and V
        // rounding (docs/augment.md has the measured levels).
        .Add(@"hue_(?<f>[-\d.]+)", m => new(With(Photometric.Hue, m, "f"), 10, 0, "PIL's 8-bit HSV quantises hue to 1/256 turn"))
        // PIL's GaussianBlur is three extended box blurs (a Gaussian of the same variance,
        // approximately) with edge pixels repeated; ours is the exact Gaussian with reflect
        // padding (torchvision's). Inside, ≥ 4σ from the border, they agree within the box
        // approximation; at the border the padding rules differ, so the border is left out.
        .Add(@"gaussian_blur_sigma(?<s>[\d.]+)", m => new(x => Photometric.GaussianBlur(x, tensor(new[] { FixtureOpKinds.Number(m, "s") }), 23),
                                                          4, Math.Max(8, (int)Math.Ceiling(4 * FixtureOpKinds.Number(m, "s"))), "box-blur approximation"));

    public static TheoryData<string, string, string> PilOps() => AugmentFixtures.Ops("pil_ops", "pil_base", Kinds);

    [Theory]
    [MemberData(nameof(PilOps))]
    public void AgreesWithPilWithinItsRounding(string photo, string op, string variant)
    {
        Torch.Ensure();
        using var scope = NewDisposeScope();
        var (apply, tolerance, margin, why) = Kinds.Case(op, variant);
        var ours = Inside(AugmentFixtures.Quantize(apply(AugmentFixtures.PilBase(photo))), margin);
        var pil = Inside(AugmentFixtures.Pil(photo, op), margin);
        double levels = AugmentFixtures.Levels(ours, pil);
        double mean = ((ours - pil).abs() * 255).mean().item<float>();
        output.WriteLine($"{photo} {op}: max {levels:F0} levels, mean {mean:F3} (allowed {tolerance}: {why})");
        Assert.True(levels <= tolerance, $"{levels} levels");
        Assert.True(mean < 1, $"mean {mean} levels: more than rounding");
    }

    private static Tensor Inside(Tensor images, int margin) =>
        images[.., .., margin..(int)(images.shape[2] - margin), margin..(int)(images.shape[3] - margin)];
}
