using System.Text.Json.Serialization;

namespace BarlowTwins.Models;

/// <summary>Which ResNet: block type and blocks per stage, as in torchvision.</summary>
/// <param name="Name">resnet18, resnet34 or resnet50.</param>
/// <param name="Bottleneck">Bottleneck blocks (1×1, 3×3, 1×1; expansion 4) instead of basic blocks.</param>
/// <param name="Blocks">Blocks in each of the four stages.</param>
/// <remarks>Written as its <see cref="Name"/>, in text and in JSON.</remarks>
[JsonConverter(typeof(Json))]
public sealed record ResNetArchitecture(string Name, bool Bottleneck, int[] Blocks)
{
    /// <summary>ResNet-18: basic blocks 2-2-2-2, 512-d features.</summary>
    public static ResNetArchitecture ResNet18 { get; } = new("resnet18", false, [2, 2, 2, 2]);
    /// <summary>ResNet-34: basic blocks 3-4-6-3, 512-d features.</summary>
    public static ResNetArchitecture ResNet34 { get; } = new("resnet34", false, [3, 4, 6, 3]);
    /// <summary>ResNet-50: bottleneck blocks 3-4-6-3, 2048-d features.</summary>
    public static ResNetArchitecture ResNet50 { get; } = new("resnet50", true, [3, 4, 6, 3]);

    /// <summary>Channel expansion of the last convolution in a block.</summary>
    public int Expansion => Bottleneck ? 4 : 1;

    /// <summary>Width of the pooled features at the given base width (64 in torchvision).</summary>
    public int FeatureDim(int width = 64) => 8 * width * Expansion;

    /// <summary>Looks an architecture up by name (resnet18, resnet34, resnet50; case-insensitive).</summary>
    public static ResNetArchitecture Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "resnet18" or "r18" => ResNet18,
        "resnet34" or "r34" => ResNet34,
        "resnet50" or "r50" => ResNet50,
        _ => throw new ArgumentException($"Unknown backbone '{name}': use resnet18, resnet34 or resnet50."),
    };

    /// <inheritdoc />
    public override string ToString() => Name;

    private sealed class Json : TextJsonConverter<ResNetArchitecture>
    {
        protected override ResNetArchitecture Parse(string text) => ResNetArchitecture.Parse(text);
    }
}
