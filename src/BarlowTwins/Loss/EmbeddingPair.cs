using static TorchSharp.torch;

namespace BarlowTwins.Loss;

/// <summary>The check every form of the loss makes of its inputs.</summary>
internal static class EmbeddingPair
{
    /// <summary>N, after checking that <paramref name="zA"/> and <paramref name="zB"/> are both N × D with N ≥ 2.</summary>
    public static long BatchSize(Tensor zA, Tensor zB)
    {
        if (zA.dim() != 2 || zB.dim() != 2 || !zA.shape.SequenceEqual(zB.shape))
            throw new ArgumentException(
                $"Embeddings must both be N × D; got [{string.Join(", ", zA.shape)}] and [{string.Join(", ", zB.shape)}].");
        if (zA.shape[0] < 2)
            throw new ArgumentException("Barlow Twins needs at least 2 samples per batch to standardise embeddings.");
        return zA.shape[0];
    }
}
