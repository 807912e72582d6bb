using BarlowTwins.Models;
using BarlowTwins.Training.Options;

namespace BarlowTwins.Bench;

/// <summary>One training-step shape measured by <c>barlow bench step</c>.</summary>
/// <param name="Name">Short name used on the command line (r18-32, r18-64, r50-224).</param>
/// <param name="Backbone">resnet18 or resnet50.</param>
/// <param name="Size">Image side, pixels.</param>
/// <param name="Batch">Images per step (each seen as two views).</param>
/// <param name="Projector">Projector widths.</param>
/// <param name="CifarStem">3×3 stride-1 stem without max-pool (set on both sides of the comparison).</param>
/// <param name="Long">Minutes per measurement on this machine: left out of <c>bench all</c> unless asked for.</param>
public sealed record StepShape(string Name, string Backbone, int Size, int Batch, string Projector, bool CifarStem, bool Long = false)
{
    /// <summary>The pre-training options of this shape (batch-norm layout as asked).</summary>
    public PretrainOptions Options(bool channelsLast = false) => new()
    {
        Backbone = ResNetArchitecture.Parse(Backbone),
        ImageSize = Size,
        CifarStem = CifarStem,
        Projector = ProjectorSpec.Parse(Projector),
        BatchSize = Batch,
        ChannelsLast = channelsLast,
    };

    /// <summary>The shapes of issue #7, as data.</summary>
    public static IReadOnlyList<StepShape> All { get; } =
    [
        new("r18-32", "resnet18", 32, 128, "2048-2048-2048", CifarStem: true),
        new("r18-64", "resnet18", 64, 64, "2048-2048-2048", CifarStem: false),
        new("r50-224", "resnet50", 224, 16, "8192-8192-8192", CifarStem: false, Long: true),
    ];

    /// <summary>The shape called <paramref name="name"/>, or a clear error.</summary>
    public static StepShape Named(string name) =>
        All.FirstOrDefault(s => s.Name == name.Trim().ToLowerInvariant())
        ?? throw new ArgumentException($"Unknown shape '{name}': use {string.Join(", ", All.Select(s => s.Name))}.");

    /// <summary>Embedding width D (the projector's last width).</summary>
    public int EmbeddingDim => int.Parse(Projector.Split('-')[^1]);

    /// <inheritdoc />
    public override string ToString() =>
        $"{Backbone} {Size} px{(CifarStem ? " (CIFAR stem)" : "")} batch {Batch} projector {Projector}";
}
