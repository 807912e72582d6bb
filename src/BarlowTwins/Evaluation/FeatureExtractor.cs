using System.Diagnostics;
using BarlowTwins.Augment;
using BarlowTwins.Data;
using BarlowTwins.Training.Precision;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace BarlowTwins.Evaluation;

/// <summary>Runs a frozen backbone over a whole split once.</summary>
public static class FeatureExtractor
{
    /// <summary>
    /// Images per forward pass when extracting features, chosen for throughput: the width-32
    /// ResNet-18 on 28 px Fashion-MNIST (docs/performance.md, "Evaluation throughput").
    /// </summary>
    public const int BatchSize = 256;

    /// <summary>
    /// Features of every image of <paramref name="source"/> through <paramref name="backbone"/> in
    /// <paramref name="precision"/> (<c>auto</c>: the faster of fp32 and bf16 on the first batch,
    /// <see cref="FeatureNetwork.Open"/>); otherwise as the overload that takes a <see cref="FeatureNetwork"/>.
    /// </summary>
    public static FeatureSet Extract(Module<Tensor, Tensor> backbone, IImageSource source,
                                     IBatchTransform<LabelledBatch> transform, Device device, int batchSize = BatchSize,
                                     IProgress<EvalProgress>? progress = null, string stage = "features",
                                     string precision = Precisions.Auto)
    {
        using var network = FeatureNetwork.Open(backbone, precision, source, transform, batchSize, device);
        return Extract(network, source, transform, device, batchSize, progress, stage);
    }

    /// <summary>
    /// Features of every image of <paramref name="source"/> through <paramref name="network"/>
    /// (eval mode, inference mode, its precision), kept on <paramref name="device"/> in float32.
    /// The loader decodes and transforms the next batch on its own thread while this one runs forward.
    /// </summary>
    public static FeatureSet Extract(FeatureNetwork network, IImageSource source,
                                     IBatchTransform<LabelledBatch> transform, Device device, int batchSize = BatchSize,
                                     IProgress<EvalProgress>? progress = null, string stage = "features")
    {
        var features = new List<Tensor>();
        var labels = new List<Tensor>();
        try
        {
            long done = 0;
            var clock = Stopwatch.StartNew();
            // Eval and inference mode once for the whole split, as the no_grad block before them was,
            // and no copy of each batch out of inference mode (docs/performance.md, "Evaluation
            // throughput"): the cat below, outside it, makes the ordinary tensor a classifier trains on.
            using (network.Inference())
                foreach (var batch in SourceBatches.Read(source, transform, batchSize))
                {
                    using var _ = batch;
                    using var scope = NewDisposeScope();
                    features.Add(network.InferenceFeatures(batch.Images.to(device)).MoveToOuterDisposeScope());
                    labels.Add(batch.Labels.to(device).MoveToOuterDisposeScope());
                    done += batch.Count;
                    progress?.Report(new EvalProgress(stage, done, source.Count, $"{done / clock.Elapsed.TotalSeconds:F0} images/s"));
                }
            if (features.Count == 0) throw new ArgumentException($"The source '{source.Description}' holds no images.");
            return new FeatureSet(cat(features, 0), cat(labels, 0), source.Classes);
        }
        finally
        {
            foreach (var t in features.Concat(labels)) t.Dispose();
        }
    }
}
