using static TorchSharp.torch;

namespace BarlowTwins.Augment;

/// <summary>
/// Two augmented views of the same images (N × C × H × W each, normalised), their labels (N, int64)
/// and, with multi-crop, K small views of each (K × N × C × S × S; <see cref="LocalViews"/>).
/// </summary>
public sealed record TwoViewBatch(Tensor ViewA, Tensor ViewB, Tensor Labels, Tensor? Locals = null) : IDisposable
{
    /// <summary>Number of images.</summary>
    public long Count => ViewA.shape[0];

    /// <summary>Small views per image (0 without multi-crop).</summary>
    public int LocalCount => Locals is null ? 0 : (int)Locals.shape[0];

    /// <inheritdoc />
    public void Dispose()
    {
        ViewA.Dispose();
        ViewB.Dispose();
        Labels.Dispose();
        Locals?.Dispose();
    }
}

/// <summary>Images for evaluation (N × C × H × W, normalised) and their labels (N, int64).</summary>
public sealed record LabelledBatch(Tensor Images, Tensor Labels) : IDisposable
{
    /// <summary>Number of images.</summary>
    public long Count => Images.shape[0];

    /// <inheritdoc />
    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
