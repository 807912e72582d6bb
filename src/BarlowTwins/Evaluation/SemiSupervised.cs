using System.Diagnostics;
using BarlowTwins.Models;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace BarlowTwins.Evaluation;

/// <summary>Both sides of a semi-supervised comparison, on the same labelled subset.</summary>
/// <param name="Subset">The labelled images used.</param>
/// <param name="Pretrained">Fine-tuning the pre-trained backbone.</param>
/// <param name="Scratch">Training a randomly initialised backbone of the same architecture.</param>
public sealed record SemiSupervisedResult(LabelSubset Subset, ProbeResult Pretrained, ProbeResult Scratch);

/// <summary>Semi-supervised evaluation: fine-tune backbone + classifier on a few labels.</summary>
public static class SemiSupervised
{
    /// <summary>
    /// Fine-tunes a copy of <paramref name="backbone"/> (the caller's stays untouched) and a
    /// from-scratch network on the <paramref name="subset"/> of <paramref name="data"/>'s
    /// training split; both are scored on the full test split.
    /// </summary>
    public static SemiSupervisedResult Run(ResNet backbone, ProbeData data, LabelSubset subset, SemiSupervisedOptions options,
                                           IProgress<EvalProgress>? progress = null)
    {
        var labelled = data with { Train = subset.Apply(data.Train) };
        using var pretrained = Copy(backbone);
        var fineTuned = FineTune(pretrained, labelled, options.BackboneRate, options, progress, "fine-tune pre-trained");
        using var scratch = Fresh(backbone.Options, options.Seed);
        var fromScratch = FineTune(scratch, labelled, options.ScratchBackboneRate, options, progress, "train from scratch");
        return new SemiSupervisedResult(subset, fineTuned, fromScratch);
    }

    /// <summary>
    /// Trains <paramref name="backbone"/> (in place, train mode) and a new linear head on
    /// <paramref name="data"/>.Train with augmentation; scores on the test split at the end.
    /// </summary>
    public static ProbeResult FineTune(ResNet backbone, ProbeData data, double backboneRate, SemiSupervisedOptions options,
                                       IProgress<EvalProgress>? progress = null, string stage = "fine-tune")
    {
        var clock = Stopwatch.StartNew();
        var device = ComputeDevice.Get(options.Device);
        var transform = data.RequireTrainTransform();
        backbone.to(device);
        var features = ChannelAdapter.ForData(backbone, data.Train.Channels);
        using var head = LinearClassifier.Create(backbone.FeatureDim, data.Classes.Count, options.Seed, device);
        // Not disposed: disposing a Sequential disposes its children, and the backbone is the caller's.
        var model = Sequential(("backbone", features), ("head", head));
        long steps = options.Epochs * TrainingBatch.StepsPerEpoch(data.Train.Count, options.BatchSize);
        using var optimizer = new CosineSgd(
            [(backbone.parameters(), backboneRate), (head.parameters(), options.HeadRate)],
            steps, options.BatchSize, options.Momentum, options.WeightDecay);
        IEnumerable<TrainingBatch> Epoch(int epoch)
        {
            foreach (var batch in SourceBatches.Epoch(data.Train, transform, options.BatchSize, options.Seed, epoch))
            {
                using var _ = batch;
                yield return new TrainingBatch(batch.Images.to(device), batch.Labels.to(device));
            }
        }
        model.train();
        var history = ClassifierFit.Run(model, optimizer, options.Epochs, Epoch, _ => null, stage, progress);
        using var network = FeatureNetwork.Open(features, options.Precision, data.Test, data.EvalTransform,
                                                options.FeatureBatchSize, device);
        using var test = FeatureExtractor.Extract(network, data.Test, data.EvalTransform, device,
                                                  options.FeatureBatchSize, progress, stage + ": test features");
        var confusion = new ConfusionMatrix(data.Classes);
        var final = Scoring.Score(head.forward, test, confusion);
        return ClassifierFit.Summarise(history, final, confusion, clock);
    }

    /// <summary>A new backbone with <paramref name="source"/>'s architecture and weights.</summary>
    internal static ResNet Copy(ResNet source)
    {
        var copy = new ResNet(source.Options);
        copy.load_state_dict(source.state_dict());
        return copy;
    }

    /// <summary>A randomly initialised backbone, drawn from <paramref name="seed"/>.</summary>
    internal static ResNet Fresh(ResNetOptions options, int seed)
    {
        torch.manual_seed(seed);
        return new ResNet(options);
    }
}
