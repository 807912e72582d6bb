using static TorchSharp.torch;

namespace BarlowTwins.Augment;

/// <summary>Two augmented views of the same images (N × C × H × W each, normalised) and their labels (N, int64).</summary>
public sealed record TwoViewBatch(Tensor ViewA, Tensor ViewB, Tensor Labels) : IDisposable
{
    /// <summary>Number of images.</summary>
    public long Count => ViewA.shape[0];

    /// <inheritdoc />
    public void Dispose()
    {
        ViewA.Dispose();
        ViewB.Dispose();
        Labels.Dispose();
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
