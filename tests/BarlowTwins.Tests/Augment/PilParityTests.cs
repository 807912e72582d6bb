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
    private static readonly Dictionary<string, (PhotometricTests.BatchedOp Op, float Parameter, double Levels, int Margin, string Why)> Cases = new()
    {
        ["brightness_1.3"] = (Photometric.Brightness, 1.3f, 1, 0, "PIL blends in 8 bits: one rounding"),
        ["contrast_0.7"] = (Photometric.Contrast, 0.7f, 1, 0, "PIL blends with the rounded integer mean of its 8-bit L image"),
        ["saturation_1.2"] = (Photometric.Saturation, 1.2f, 2, 0, "PIL blends with its 8-bit L image (weights 299/587/114, rounded), then rounds"),
        ["grayscale3"] = ((x, _) => Photometric.Grayscale(x), 0, 1, 0, "PIL's L = (299 R + 587 G + 114 B) / 1000 rounded, vs 0.2989/0.587/0.114"),
        ["solarize_128"] = ((x, _) => Photometric.Solarize(x), 0, 0, 0, "v ≥ 128 ⇔ v/255 ≥ 0.5 for bytes: identical"),
        // PIL converts to 8-bit HSV: hue in 256 steps of 1.4°, S and V rounded, then back: at
        // saturated pixels one hue step moves a channel by v·6/256 ≈ 6 levels, plus S and V
        // rounding; measured ≤ 9 levels, mean ≤ 0.75.
        ["hue_0.05"] = (Photometric.Hue, 0.05f, 10, 0, "PIL's 8-bit HSV quantises hue to 1/256 turn"),
        // PIL's GaussianBlur is three extended box blurs (a Gaussian of the same variance,
        // approximately) with edge pixels repeated; ours is the exact Gaussian with reflect
        // padding (torchvision's). Inside, ≥ 8 px (4σ) from the border, they agree within the
        // box approximation (measured ≤ 3 levels); at the border the padding rules differ (up to
        // 31 levels measured there), so the border is left out of the comparison.
        ["gaussian_blur_sigma1.0"] = ((x, s) => Photometric.GaussianBlur(x, s, 23), 1.0f, 4, 8, "box-blur approximation"),
        ["gaussian_blur_sigma2.0"] = ((x, s) => Photometric.GaussianBlur(x, s, 23), 2.0f, 4, 8, "box-blur approximation"),
    };

    public static TheoryData<string, string> PilOps() => AugmentFixtures.PhotosTimes(Cases.Keys);

    [Theory]
    [MemberData(nameof(PilOps))]
    public void AgreesWithPilWithinItsRounding(string photo, string op)
    {
        Torch.Ensure();
        using var scope = NewDisposeScope();
        var (apply, parameter, tolerance, margin, why) = Cases[op];
        var ours = Inside(AugmentFixtures.Quantize(apply(AugmentFixtures.PilBase(photo), tensor(new[] { parameter }))), margin);
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
