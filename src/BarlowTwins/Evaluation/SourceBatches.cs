using BarlowTwins.Augment;
using BarlowTwins.Data;

namespace BarlowTwins.Evaluation;

/// <summary>Evaluation's two ways of reading a source, both through the one <see cref="BatchLoader{TBatch}"/>.</summary>
internal static class SourceBatches
{
    /// <summary>Every image of <paramref name="source"/> once, in index order, the last batch possibly short.</summary>
    public static IEnumerable<TBatch> Read<TBatch>(IImageSource source, IBatchTransform<TBatch> transform, int batchSize) =>
        Loader(source, transform, batchSize, seed: 0, shuffle: false).Epoch(0);

    /// <summary>
    /// One training epoch of <paramref name="source"/>: a fresh order and fresh augmentation draws
    /// for every (<paramref name="seed"/>, <paramref name="epoch"/>), as the pre-training loader gives.
    /// </summary>
    public static IEnumerable<TBatch> Epoch<TBatch>(IImageSource source, IBatchTransform<TBatch> transform, int batchSize,
                                                    int seed, int epoch) =>
        Loader(source, transform, batchSize, seed, shuffle: true).Epoch(epoch);

    private static BatchLoader<TBatch> Loader<TBatch>(IImageSource source, IBatchTransform<TBatch> transform, int batchSize,
                                                      long seed, bool shuffle)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "Batch size must be ≥ 1.");
        // One worker builds the next batch while the caller computes on this one.
        return new BatchLoader<TBatch>(source, transform, new LoaderOptions(batchSize, seed, Shuffle: shuffle, DropLast: false));
    }
}
