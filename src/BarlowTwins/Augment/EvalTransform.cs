using BarlowTwins.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace BarlowTwins.Augment;

/// <summary>
/// Deterministic evaluation input: resize the shorter side to <see cref="Resize"/> then keep the
/// centred <see cref="Size"/> square (torchvision's Resize + CenterCrop, bilinear with antialias as
/// in the authors' linear evaluation), then normalise. Images already <see cref="Size"/> square
/// with <see cref="Resize"/> = <see cref="Size"/> pass unchanged (up to the byte → float division).
/// </summary>
public sealed class EvalTransform : IBatchTransform<LabelledBatch>
{
    private readonly int _parallelism;

    /// <summary>Eval input at <paramref name="size"/> px from images resized to <paramref name="resize"/> px.</summary>
    public EvalTransform(int size, int resize, Normalization normalization, Device? device = null, int parallelism = -1)
    {
        if (size <= 0 || resize < size) throw new ArgumentOutOfRangeException(nameof(resize), resize, $"need 0 < size ({size}) ≤ resize");
        Size = size;
        Resize = resize;
        Normalization = normalization;
        Device = device ?? CPU;
        _parallelism = parallelism;
    }

    /// <summary>The evaluation input of a pre-training recipe: ImageNet 256 → 224, small images unchanged.</summary>
    public static EvalTransform For(TwoViewRecipe recipe, Device? device = null, int parallelism = -1) =>
        new(recipe.Size, recipe.Size >= 224 ? recipe.Size * 8 / 7 : recipe.Size, recipe.Normalization, device, parallelism);

    /// <summary>Output side in pixels.</summary>
    public int Size { get; }

    /// <summary>Shorter side after the resize, before the centre crop.</summary>
    public int Resize { get; }

    /// <summary>Channels, mean and std of the output.</summary>
    public Normalization Normalization { get; }

    /// <summary>Where the result lives.</summary>
    public Device Device { get; }

    /// <inheritdoc />
    public LabelledBatch Apply(IReadOnlyList<ImageSample> images, long seed)
    {
        BatchLabels.EnsureNotEmpty(images);
        var buffer = new ImageBuffer(images.Count, Normalization.Channels, Size);
        ParallelImages.For(images.Count, _parallelism,
            i => ResizedCrop.RenderCentred(images[i], Resize, Size, ResampleFilter.Bilinear, buffer.Image(i)));
        return Normalization.Finish(buffer, images, Device);
    }
}
