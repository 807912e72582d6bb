using System.Globalization;
using static TorchSharp.torch;

namespace BarlowTwins.Evaluation;

/// <summary>Top-1 and top-5 accuracy in percent.</summary>
/// <param name="Top1">Share of samples whose best-scoring class is the label.</param>
/// <param name="Top5">Share of samples whose label is among the five best-scoring classes; null with five
/// classes or fewer, where every label is among the five and it would always read 100 %.</param>
public readonly record struct TopKAccuracy(double Top1, double? Top5)
{
    /// <summary>"top-1 81.20 %, top-5 98.70 %", or only top-1 when there is no top-5.</summary>
    public override string ToString() => Top5 is double top5
        ? string.Create(CultureInfo.InvariantCulture, $"top-1 {Top1:F2} %, top-5 {top5:F2} %")
        : string.Create(CultureInfo.InvariantCulture, $"top-1 {Top1:F2} %");
}

/// <summary>Counts top-k hits in class-score matrices.</summary>
internal static class Accuracy
{
    /// <summary>
    /// Samples whose label is among the <paramref name="k"/> highest <paramref name="scores"/>
    /// (N × classes). With fewer than k classes every sample is a hit, as in PyTorch references
    /// that clamp k to the class count.
    /// </summary>
    public static long TopKHits(Tensor scores, Tensor labels, int k)
    {
        using var scope = NewDisposeScope();
        int kk = (int)Math.Min(k, scores.shape[1]);
        var best = scores.topk(kk, dim: 1).indexes;
        return best.eq(labels.unsqueeze(1)).any(1).sum().item<long>();
    }
}

/// <summary>Accumulates top-1/top-5 hits over batches.</summary>
internal sealed class TopKCounter
{
    private long _top1, _top5, _count, _classes;

    /// <summary>Adds a batch of scores (N × classes) and labels (N).</summary>
    public void Add(Tensor scores, Tensor labels)
    {
        _top1 += Accuracy.TopKHits(scores, labels, 1);
        _top5 += Accuracy.TopKHits(scores, labels, 5);
        _count += labels.shape[0];
        _classes = scores.shape[1];
    }

    /// <summary>The accuracies so far, in percent (top-5 only with more than five classes).</summary>
    public TopKAccuracy Result =>
        _count == 0 ? default : new(100.0 * _top1 / _count, _classes > 5 ? 100.0 * _top5 / _count : null);
}
