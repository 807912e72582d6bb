using System.Diagnostics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace BarlowTwins.Evaluation;

/// <summary>
/// Linear evaluation of a frozen backbone: a linear classifier trained on its features, scored on
/// the test split. The backbone runs as a <see cref="FeatureNetwork"/> (eval and inference mode, in
/// the options' precision) and is fingerprinted before and after; a change throws.
/// </summary>
public static class LinearProbe
{
    /// <summary>Probes <paramref name="backbone"/> on <paramref name="data"/>.</summary>
    public static ProbeResult Run(Module<Tensor, Tensor> backbone, ProbeData data, LinearProbeOptions options,
                                  IProgress<EvalProgress>? progress = null)
    {
        options.Validate();
        using var network = data.Network(backbone, options.Precision, options.FeatureBatchSize, ComputeDevice.Get(options.Device));
        return Run(network, data, options, progress);
    }

    /// <summary>As the overload that takes a backbone, for a network already open in its precision (the options' is not read).</summary>
    public static ProbeResult Run(FeatureNetwork network, ProbeData data, LinearProbeOptions options, IProgress<EvalProgress>? progress = null)
    {
        options.Validate();
        var guard = BackboneGuard.Watch(network.Backbone);
        var device = ComputeDevice.Get(options.Device);
        using var test = FeatureExtractor.Extract(network, data.Test, data.EvalTransform, device,
                                                  options.FeatureBatchSize, progress, "test features");
        ProbeResult result;
        if (options.Mode == ProbeMode.Cached)
        {
            using var train = FeatureExtractor.Extract(network, data.Train, data.EvalTransform, device,
                                                       options.FeatureBatchSize, progress, "train features");
            result = Run(train, test, options, progress);
        }
        else
        {
            result = RunAugmented(network, data, test, options, progress);
        }
        guard.Verify();
        return result;
    }

    /// <summary>Trains and scores the classifier on features already extracted.</summary>
    public static ProbeResult Run(FeatureSet train, FeatureSet test, LinearProbeOptions options,
                                  IProgress<EvalProgress>? progress = null)
    {
        options.Validate();
        CheckCompatible(train, test);
        if (options.Standardize)
        {
            using var scaling = FeatureScaling.Of(train);
            using var scaledTrain = scaling.Apply(train);
            using var scaledTest = scaling.Apply(test);
            return Run(scaledTrain, scaledTest, options with { Standardize = false }, progress);
        }
        using var head = LinearClassifier.Create(train.Dimension, train.Classes.Count, options.Seed, train.Features.device);
        using var generator = new Generator((ulong)options.Seed);
        return Fit(head, _ => TrainingBatch.Shuffled(train, options.BatchSize, generator), train.Count, test, options, progress);
    }

    private static ProbeResult RunAugmented(FeatureNetwork network, ProbeData data, FeatureSet test,
                                            LinearProbeOptions options, IProgress<EvalProgress>? progress)
    {
        var transform = data.RequireTrainTransform();
        var device = ComputeDevice.Get(options.Device);
        using var head = LinearClassifier.Create(test.Dimension, data.Classes.Count, options.Seed, device);
        IEnumerable<TrainingBatch> Epoch(int epoch)
        {
            foreach (var batch in SourceBatches.Epoch(data.Train, transform, options.BatchSize, options.Seed, epoch))
            {
                using var _ = batch;
                yield return new TrainingBatch(network.Forward(batch.Images.to(device)), batch.Labels.to(device));
            }
        }
        return Fit(head, Epoch, data.Train.Count, test, options, progress);
    }

    private static ProbeResult Fit(Linear head, Func<int, IEnumerable<TrainingBatch>> epochBatches, long trainCount,
                                   FeatureSet test, LinearProbeOptions options, IProgress<EvalProgress>? progress)
    {
        var clock = Stopwatch.StartNew();
        long steps = options.Epochs * TrainingBatch.StepsPerEpoch(trainCount, options.BatchSize);
        using var optimizer = new CosineSgd([(head.parameters(), options.LearningRate)], steps, options.BatchSize,
                                            options.Momentum, options.WeightDecay);
        var history = ClassifierFit.Run(head, optimizer, options.Epochs, epochBatches,
                                        _ => Scoring.Score(head.forward, test), "linear probe", progress);
        var confusion = new ConfusionMatrix(test.Classes);
        var final = Scoring.Score(head.forward, test, confusion);
        return ClassifierFit.Summarise(history, final, confusion, clock);
    }

    private static void CheckCompatible(FeatureSet train, FeatureSet test)
    {
        if (train.Dimension != test.Dimension)
            throw new ArgumentException($"Train features are {train.Dimension}-d but test features {test.Dimension}-d.");
        if (train.Classes.Count == 0)
            throw new ArgumentException("The training features carry no class names: evaluation needs labelled data.");
    }
}
