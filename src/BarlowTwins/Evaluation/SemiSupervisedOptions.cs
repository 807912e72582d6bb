using BarlowTwins.Training.Precision;

namespace BarlowTwins.Evaluation;

/// <summary>
/// Semi-supervised fine-tuning (SPEC: backbone + linear head trained together on a fixed 1 % or
/// 10 % of the labels, classifier rate 0.5, backbone rate 0.002–0.005, no weight decay, cosine;
/// rates are at batch 256 and scale linearly with the batch). The from-scratch baseline trains a
/// randomly initialised backbone of the same architecture on the same images for the same number
/// of steps; it gets its own backbone rate, since 0.005 barely moves random weights and would
/// make the comparison unfair to it.
/// </summary>
/// <param name="LabelFraction">Share of the training labels used (0.01 or 0.1 in the paper).</param>
/// <param name="Epochs">Passes over the labelled subset.</param>
/// <param name="BatchSize">Images per step.</param>
/// <param name="HeadRate">Classifier rate at batch 256.</param>
/// <param name="BackboneRate">Pre-trained backbone rate at batch 256.</param>
/// <param name="ScratchBackboneRate">Backbone rate of the from-scratch baseline at batch 256.</param>
/// <param name="WeightDecay">L2 penalty (0 in the paper).</param>
/// <param name="Momentum">SGD momentum.</param>
/// <param name="Seed">Subset choice, head and scratch initialisation, shuffling, augmentation.</param>
/// <param name="Device">"cpu" or "cuda".</param>
/// <param name="FeatureBatchSize">Images per forward pass when scoring the test split.</param>
/// <param name="Precision">Precision of the test split's features: auto, fp32 or bf16 (<see cref="FeatureNetwork.Open"/>).</param>
public sealed record SemiSupervisedOptions(
    double LabelFraction = 0.01,
    int Epochs = 20,
    int BatchSize = 256,
    double HeadRate = 0.5,
    double BackboneRate = 0.005,
    double ScratchBackboneRate = 0.1,
    double WeightDecay = 0,
    double Momentum = 0.9,
    int Seed = 0,
    string Device = "cpu",
    int FeatureBatchSize = FeatureExtractor.BatchSize,
    string Precision = Precisions.Auto)
{
    /// <summary>A smoke-test run: 1 epoch.</summary>
    public SemiSupervisedOptions AsQuick() => this with { Epochs = 1 };

    /// <summary>Throws an <see cref="ArgumentException"/> naming every option that cannot work.</summary>
    public void Validate() => new OptionChecks()
        .Require(LabelFraction is > 0 and <= 1, $"labels must be a share in (0, 1], not {LabelFraction}.")
        .AtLeast("epochs", Epochs, 1).AtLeast("batch-size", BatchSize, 1).AtLeast("feature batch size", FeatureBatchSize, 1)
        .Positive("head-lr", HeadRate).NotNegative("backbone-lr", BackboneRate).Positive("scratch-lr", ScratchBackboneRate)
        .NotNegative("weight decay", WeightDecay).Momentum("momentum", Momentum).Device(Device).OneOf("precision", Precision, Precisions.Names)
        .ThrowIfAny("semi-supervised");
}
