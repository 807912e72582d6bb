using static TorchSharp.torch;

namespace BarlowTwins.Evaluation;

/// <summary>Scores a classifier on a labelled test set.</summary>
internal static class Scoring
{
    /// <summary>Top-1/top-5 of <paramref name="classify"/> (inputs → logits) over <paramref name="set"/>, in chunks.</summary>
    public static TopKAccuracy Score(Func<Tensor, Tensor> classify, FeatureSet set, ConfusionMatrix? confusion = null,
                                     int chunk = 4096)
    {
        var counter = new TopKCounter();
        using var _ = no_grad();
        for (long start = 0; start < set.Count; start += chunk)
        {
            using var scope = NewDisposeScope();
            long n = Math.Min(chunk, set.Count - start);
            var labels = set.Labels.narrow(0, start, n);
            var logits = classify(set.Features.narrow(0, start, n));
            counter.Add(logits, labels);
            confusion?.Add(logits.argmax(1), labels);
        }
        return counter.Result;
    }
}
