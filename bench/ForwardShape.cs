using BarlowTwins.Evaluation;
using BarlowTwins.Models;

namespace BarlowTwins.Bench;

/// <summary>A feature-extraction shape measured by <c>barlow bench ceiling</c>: forward passes alone, no backward.</summary>
/// <param name="Name">Short name used on the command line.</param>
/// <param name="Backbone">resnet18 or resnet50.</param>
/// <param name="Width">Channels of the first stage.</param>
/// <param name="Channels">Input channels.</param>
/// <param name="Size">Image side, pixels.</param>
/// <param name="Batch">Images per forward pass.</param>
/// <param name="CifarStem">3×3 stride-1 stem without max-pool.</param>
public sealed record ForwardShape(string Name, string Backbone, int Width, int Channels, int Size, int Batch, bool CifarStem)
{
    /// <summary>The evaluation network of issue #18: `eval knn --checkpoint random:resnet18:32 --data fashion-mnist`.</summary>
    public static ForwardShape Eval { get; } = new("eval-r18w32-28", "resnet18", 32, 1, 28, FeatureExtractor.BatchSize, CifarStem: true);

    /// <summary>The forward shapes, as data.</summary>
    public static IReadOnlyList<ForwardShape> All { get; } = [Eval];

    /// <summary>The backbone's options (torchvision initialisation, as a random:… checkpoint).</summary>
    public ResNetOptions Options => new(ResNetArchitecture.Parse(Backbone), Channels, CifarStem, Width, ZeroInitResidual: false);

    /// <summary>The shape called <paramref name="name"/>, or null.</summary>
    public static ForwardShape? Find(string name) => All.FirstOrDefault(s => s.Name == name.Trim().ToLowerInvariant());

    /// <inheritdoc />
    public override string ToString() =>
        $"{Backbone} width {Width}, {Channels} channel{(Channels == 1 ? "" : "s")}, {Size} px{(CifarStem ? " (CIFAR stem)" : "")}, batch {Batch}, forward only";
}
