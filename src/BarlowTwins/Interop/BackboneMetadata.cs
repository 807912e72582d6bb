using System.Globalization;
using BarlowTwins.Augment;
using BarlowTwins.Models;

namespace BarlowTwins.Interop;

/// <summary>
/// What a deployer needs besides the weights, written as string properties into every export
/// (ONNX <c>metadata_props</c>, the safetensors <c>__metadata__</c>): how the backbone is built,
/// and how an image becomes its input — RGB (or grey) values x/255, resized so the shorter side is
/// <see cref="Resize"/>, centre-cropped to <see cref="InputSize"/>, then (x − mean) / std per channel,
/// in N × C × H × W order.
/// </summary>
/// <param name="Architecture">resnet18, resnet34 or resnet50.</param>
/// <param name="Width">Base width (64 in torchvision).</param>
/// <param name="Stem">"cifar" (3×3 convolution, no max-pool) or "imagenet" (7×7 stride 2, max-pool).</param>
/// <param name="StemStride">Stride of the CIFAR stem's convolution.</param>
/// <param name="Channels">Input channels: 3 (RGB) or 1 (grey).</param>
/// <param name="FeatureDim">Length of the output feature vector.</param>
/// <param name="Preset">The augmentation preset the input follows (imagenet, cifar, fashion-mnist).</param>
/// <param name="InputSize">Height and width of the input, px.</param>
/// <param name="Resize">Shorter side before the centre crop, px.</param>
/// <param name="Mean">Per-channel mean subtracted from x/255.</param>
/// <param name="Std">Per-channel standard deviation divided by.</param>
public sealed record BackboneMetadata(string Architecture, int Width, string Stem, int StemStride, int Channels, int FeatureDim,
                                      string Preset, int InputSize, int Resize, float[] Mean, float[] Std)
{
    /// <summary>
    /// The metadata of <paramref name="backbone"/> trained with augmentation <paramref name="preset"/> at
    /// <paramref name="inputSize"/> px. Unknown (an imported backbone): the preset its shape implies —
    /// fashion-mnist for one channel, cifar for a CIFAR stem, imagenet otherwise (torchvision's weights).
    /// </summary>
    public static BackboneMetadata Of(ResNet backbone, string? preset = null, int? inputSize = null)
    {
        var o = backbone.Options;
        preset ??= o.InputChannels == 1 ? "fashion-mnist" : o.CifarStem ? "cifar" : "imagenet";
        var recipe = TwoViewRecipe.Preset(preset);
        if (inputSize is int size) recipe = recipe with { Size = size };
        var eval = EvalTransform.For(recipe);
        return new BackboneMetadata(o.Architecture.Name, o.Width, o.CifarStem ? "cifar" : "imagenet", o.StemStride, o.InputChannels,
                                    backbone.FeatureDim, preset, eval.Size, eval.Resize, recipe.Normalization.Mean, recipe.Normalization.Std);
    }

    /// <summary>The properties as written: keys in snake_case, numbers in invariant culture, lists comma-separated.</summary>
    public IReadOnlyDictionary<string, string> ToProperties() => new Dictionary<string, string>
    {
        ["architecture"] = Architecture,
        ["width"] = Text(Width),
        ["stem"] = Stem,
        ["stem_stride"] = Text(StemStride),
        ["channels"] = Text(Channels),
        ["feature_dim"] = Text(FeatureDim),
        ["preset"] = Preset,
        ["input_size"] = Text(InputSize),
        ["resize"] = Text(Resize),
        ["mean"] = string.Join(',', Mean.Select(v => v.ToString("R", CultureInfo.InvariantCulture))),
        ["std"] = string.Join(',', Std.Select(v => v.ToString("R", CultureInfo.InvariantCulture))),
        ["input_layout"] = "NCHW, RGB (or grey), x/255, resize shorter side to resize, centre crop to input_size, (x - mean) / std",
    };

    /// <summary>Reads the properties <see cref="ToProperties"/> wrote; a missing or malformed one is a clear error.</summary>
    public static BackboneMetadata FromProperties(IReadOnlyDictionary<string, string> properties)
    {
        string Get(string key) => properties.TryGetValue(key, out var value)
            ? value : throw new InvalidDataException($"The export's metadata has no '{key}': it was not written by BarlowTwins 0.1 or later.");
        int Int(string key) => int.TryParse(Get(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)
            ? v : throw new InvalidDataException($"The export's metadata '{key}' is '{Get(key)}', not an integer.");
        float[] Floats(string key) => [.. Get(key).Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture))];
        return new BackboneMetadata(Get("architecture"), Int("width"), Get("stem"), Int("stem_stride"), Int("channels"), Int("feature_dim"),
                                    Get("preset"), Int("input_size"), Int("resize"), Floats("mean"), Floats("std"));
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
