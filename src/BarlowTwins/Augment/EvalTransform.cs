using BarlowTwins.Data;
using static TorchSharp.torch;

namespace BarlowTwins.Augment;

/// <summary>
/// Deterministic evaluation input: resize the shorter side to <see cref="Resize"/> then keep the
/// centred <see cref="LabelledTransform.Size"/> square (torchvision's Resize + CenterCrop,
/// bilinear with antialias as in the authors' linear evaluation), then normalise. Images already
/// Size square with Resize = Size pass unchanged (up to the byte → float division).
/// </summary>
public sealed class EvalTransform : LabelledTransform
{
    /// <summary>Eval input at <paramref name="size"/> px from images resized to <paramref name="resize"/> px.</summary>
    public EvalTransform(int size, int resize, Normalization normalization, Device? device = null, int parallelism = -1)
        : base(size, normalization, device, parallelism)
    {
        if (resize < size) throw new ArgumentOutOfRangeException(nameof(resize), resize, $"need size ({size}) ≤ resize");
        Resize = resize;
    }

    /// <summary>The evaluation input of a pre-training recipe: ImageNet 256 → 224, small images unchanged.</summary>
    public static EvalTransform For(TwoViewRecipe recipe, Device? device = null, int parallelism = -1) =>
        new(recipe.Size, recipe.Size >= 224 ? recipe.Size * 8 / 7 : recipe.Size, recipe.Normalization, device, parallelism);

    /// <summary>Shorter side after the resize, before the centre crop.</summary>
    public int Resize { get; }

    private protected override void Render(ImageSample image, SampleRandom random, Span<float> target) =>
        ResizedCrop.RenderCentred(image, Resize, Size, ResampleFilter.Bilinear, target);
}
