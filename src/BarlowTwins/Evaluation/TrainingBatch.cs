using static TorchSharp.torch;

namespace BarlowTwins.Evaluation;

/// <summary>Classifier inputs (features or images) and labels for one step; owns both.</summary>
internal sealed record TrainingBatch(Tensor Inputs, Tensor Labels) : IDisposable
{
    public void Dispose()
    {
        Inputs.Dispose();
        Labels.Dispose();
    }

    /// <summary>Mini-batches of a feature set in a fresh random order drawn from <paramref name="generator"/>.</summary>
    public static IEnumerable<TrainingBatch> Shuffled(FeatureSet set, int batchSize, Generator generator)
    {
        using var order = randperm(set.Count, generator: generator).to(set.Features.device);
        for (long start = 0; start < set.Count; start += batchSize)
        {
            using var index = order.narrow(0, start, Math.Min(batchSize, set.Count - start));
            yield return new TrainingBatch(set.Features.index_select(0, index), set.Labels.index_select(0, index));
        }
    }

    /// <summary>Steps per epoch for <paramref name="count"/> samples (the last batch may be short).</summary>
    public static long StepsPerEpoch(long count, int batchSize) => (count + batchSize - 1) / batchSize;
}
