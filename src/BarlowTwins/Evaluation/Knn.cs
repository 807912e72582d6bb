using System.Diagnostics;
using BarlowTwins.Training.Precision;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace BarlowTwins.Evaluation;

/// <summary>
/// Weighted k-nearest-neighbour classification on L2-normalised features, as solo-learn and
/// lightly report it: the k most cosine-similar training samples vote for their label with
/// weight exp(similarity / τ).
/// </summary>
/// <param name="K">Neighbours per test sample (200).</param>
/// <param name="Temperature">τ (0.1).</param>
/// <param name="ChunkSize">Test samples per similarity matmul (bounds memory at chunk × N floats).</param>
/// <param name="Device">"cpu" or "cuda".</param>
/// <param name="FeatureBatchSize">Images per forward pass when extracting features.</param>
/// <param name="Precision">Feature extraction's precision: auto, fp32 or bf16 (<see cref="FeatureNetwork.Open"/>).</param>
public sealed record KnnOptions(int K = 200, double Temperature = 0.1, int ChunkSize = 512, string Device = "cpu",
                                int FeatureBatchSize = FeatureExtractor.BatchSize, string Precision = Precisions.Auto)
{
    /// <summary>Throws an <see cref="ArgumentException"/> naming every option that cannot work.</summary>
    public void Validate() => new OptionChecks()
        .AtLeast("k", K, 1).Positive("temperature", Temperature).AtLeast("chunk size", ChunkSize, 1)
        .AtLeast("feature batch size", FeatureBatchSize, 1).Device(Device).OneOf("precision", Precision, Precisions.Names)
        .ThrowIfAny("k-NN");
}

/// <summary>What k-NN measured on the test split.</summary>
/// <param name="Accuracy">Top-1 (and top-5 with more than five classes).</param>
/// <param name="Confusion">Test confusion matrix.</param>
/// <param name="Seconds">Wall time of the classification.</param>
/// <param name="K">Neighbours that voted: <see cref="KnnOptions.K"/>, or the training split's size when smaller.</param>
public sealed record KnnResult(TopKAccuracy Accuracy, ConfusionMatrix Confusion, double Seconds, int K);

/// <summary>Weighted k-NN evaluation; cheap enough to run every few epochs of pre-training.</summary>
public static class Knn
{
    /// <summary>
    /// Extracts train and test features of <paramref name="backbone"/> (<see cref="FeatureNetwork"/>:
    /// eval and inference mode, in the options' precision; checked unchanged afterwards) and
    /// classifies the test split by its neighbours in the train split.
    /// </summary>
    public static KnnResult Run(Module<Tensor, Tensor> backbone, ProbeData data, KnnOptions options,
                                IProgress<EvalProgress>? progress = null)
    {
        using var network = data.Network(backbone, options.Precision, options.FeatureBatchSize, ComputeDevice.Get(options.Device));
        return Run(network, data, options, progress);
    }

    /// <summary>As the overload that takes a backbone, for a network already open in its precision (the options' is not read).</summary>
    public static KnnResult Run(FeatureNetwork network, ProbeData data, KnnOptions options, IProgress<EvalProgress>? progress = null)
    {
        var guard = BackboneGuard.Watch(network.Backbone);
        var device = ComputeDevice.Get(options.Device);
        using var train = FeatureExtractor.Extract(network, data.Train, data.EvalTransform, device,
                                                   options.FeatureBatchSize, progress, "train features");
        using var test = FeatureExtractor.Extract(network, data.Test, data.EvalTransform, device,
                                                  options.FeatureBatchSize, progress, "test features");
        var result = Classify(train, test, options);
        guard.Verify();
        return result;
    }

    /// <summary>Classifies every sample of <paramref name="test"/> by its neighbours in <paramref name="train"/>.</summary>
    public static KnnResult Classify(FeatureSet train, FeatureSet test, KnnOptions options)
    {
        if (options.K < 1) throw new ArgumentOutOfRangeException(nameof(options), options.K, "k must be ≥ 1.");
        if (options.Temperature <= 0) throw new ArgumentOutOfRangeException(nameof(options), options.Temperature, "τ must be > 0.");
        if (train.Dimension != test.Dimension)
            throw new ArgumentException($"Train features are {train.Dimension}-d but test features {test.Dimension}-d.");
        var clock = Stopwatch.StartNew();
        var confusion = new ConfusionMatrix(train.Classes);
        using var bank = functional.normalize(train.Features, dim: 1);
        var counter = new TopKCounter();
        for (long start = 0; start < test.Count; start += options.ChunkSize)
        {
            using var scope = NewDisposeScope();
            long n = Math.Min(options.ChunkSize, test.Count - start);
            var labels = test.Labels.narrow(0, start, n);
            var scores = Scores(bank, train.Labels, functional.normalize(test.Features.narrow(0, start, n), dim: 1),
                                train.Classes.Count, options);
            counter.Add(scores, labels);
            confusion.Add(scores.argmax(1), labels);
        }
        return new KnnResult(counter.Result, confusion, clock.Elapsed.TotalSeconds, (int)Math.Min(options.K, train.Count));
    }

    /// <summary>Class scores (queries × classes): Σ over the k nearest of exp(sim/τ) for each neighbour's label.</summary>
    internal static Tensor Scores(Tensor bank, Tensor bankLabels, Tensor queries, int classes, KnnOptions options)
    {
        using var scope = NewDisposeScope();
        var similarity = queries.mm(bank.t());
        int k = (int)Math.Min(options.K, bank.shape[0]);
        var (nearest, index) = similarity.topk(k, dim: 1);
        var votes = bankLabels.index_select(0, index.flatten()).view(index.shape);
        var weights = (nearest / options.Temperature).exp_();
        var scores = zeros(queries.shape[0], classes, device: queries.device)
            .scatter_add_(1, votes, weights);
        return scores.MoveToOuterDisposeScope();
    }
}
