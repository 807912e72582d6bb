using System.Text.Json;
using BarlowTwins.Augment;
using BarlowTwins.Data;
using BarlowTwins.Tests.Support;
using static TorchSharp.torch;

namespace BarlowTwins.Tests.Augment;

/// <summary>The "augment" section of the shared fixtures: three photos, a crop box each, torchvision and PIL results.</summary>
public static class AugmentFixtures
{
    /// <summary>The fixture photos, as the manifest lists them (grace_hopper 600×512, china and flower 427×640 today).</summary>
    public static TheoryData<string> Photos() => ReferenceCases.Of("augment");

    /// <summary>
    /// Every (photo, op, variant) of a section of each photo (<c>ops</c>: torchvision, <c>pil_ops</c>:
    /// PIL) whose input is <paramref name="input"/>, as the manifest lists them, paired with each
    /// variant of the op kind that <paramref name="kinds"/> finds for its name; an op no kind
    /// knows gets the variant <see cref="FixtureOpKinds.Unknown"/>, a row that fails and says so
    /// (kinds left out on purpose, with their reason, get no row).
    /// </summary>
    public static TheoryData<string, string, string> Ops<T>(string section, string input, FixtureOpKinds<T> kinds)
    {
        var data = new TheoryData<string, string, string>();
        foreach (var photo in Photos())
            foreach (var op in Entry(photo).GetProperty(section).EnumerateObject())
            {
                if ((op.Value.TryGetProperty("input", out var from) && from.GetString() != input) || kinds.IsExcluded(op.Name)) continue;
                var variants = kinds.VariantsOf(op.Name);
                foreach (var variant in variants.Count > 0 ? variants : [FixtureOpKinds.Unknown]) data.Add(photo, op.Name, variant);
            }
        return data;
    }

    private static JsonElement Entry(string photo) => SharedFixtures.Manifest.GetProperty("augment").GetProperty(photo);

    /// <summary>The decoded photo as an <see cref="ImageSample"/>.</summary>
    public static ImageSample Image(string photo)
    {
        using var pixels = SharedFixtures.Load(Entry(photo).GetProperty("input_uint8_hwc"));
        return new ImageSample(pixels.data<byte>().ToArray(), (int)pixels.shape[0], (int)pixels.shape[1], 3, 0);
    }

    /// <summary>The crop box every resize fixture of <paramref name="photo"/> uses.</summary>
    public static CropBox Box(string photo)
    {
        var b = Entry(photo).GetProperty("crop_box_top_left_height_width").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        return new CropBox(b[0], b[1], b[2], b[3]);
    }

    /// <summary>base = torchvision's antialiased bicubic crop clamped to [0, 1], as 1 × 3 × 64 × 64: the input of every tensor op.</summary>
    public static Tensor Base(string photo) => SharedFixtures.Load(Entry(photo).GetProperty("base")).unsqueeze(0);

    /// <summary>A torchvision result (1 × 3 × 64 × 64).</summary>
    public static Tensor Op(string photo, string op) =>
        SharedFixtures.Load(Entry(photo).GetProperty("ops").GetProperty(op)).unsqueeze(0);

    /// <summary>A PIL result, bytes as 1 × 3 × 64 × 64 floats in [0, 1].</summary>
    public static Tensor Pil(string photo, string op) => ToFloat(SharedFixtures.Load(Entry(photo).GetProperty("pil_ops").GetProperty(op)));

    /// <summary>PIL's own 64 × 64 crop (the input of every PIL op) as floats in [0, 1].</summary>
    public static Tensor PilBase(string photo) => Pil(photo, "resized_crop_bicubic");

    /// <summary>Float images in [0, 1] rounded to bytes as PIL stores them, as floats again.</summary>
    public static Tensor Quantize(Tensor images) => (images.clamp(0, 1) * 255).round() / 255;

    /// <summary>Largest difference in 8-bit levels (to 1/1000 level, so that n/255 · 255 counts as n).</summary>
    public static double Levels(Tensor actual, Tensor expected) => Math.Round(Compare.AbsoluteMax(actual, expected) * 255, 3);

    private static Tensor ToFloat(Tensor hwcBytes) => hwcBytes.permute(2, 0, 1).unsqueeze(0).to_type(ScalarType.Float32) / 255;
}
