using BarlowTwins.Training.Precision;

namespace BarlowTwins.Evaluation;

/// <summary>How the classifier of a linear probe sees the training images.</summary>
public enum ProbeMode
{
    /// <summary>Features extracted once with the deterministic eval transform; fast on a CPU.</summary>
    Cached,

    /// <summary>Every epoch re-augments the training images (random resized crop + flip), as in the paper.</summary>
    Augmented,
}

/// <summary>
/// The linear-evaluation protocol (SPEC: SGD momentum 0.9, lr 0.3 at batch 256 scaled linearly
/// with the batch, weight decay 1e-6, cosine to 0, 100 epochs, classifier N(0, 0.01), bias 0).
/// </summary>
/// <param name="Epochs">Passes over the training split.</param>
/// <param name="BatchSize">Images per step.</param>
/// <param name="LearningRate">Peak rate at batch 256; the rate used is this × batch/256.</param>
/// <param name="WeightDecay">L2 penalty on the classifier.</param>
/// <param name="Momentum">SGD momentum.</param>
/// <param name="Mode">Cached features or per-epoch augmentation.</param>
/// <param name="Seed">Classifier initialisation, shuffling and augmentation draws.</param>
/// <param name="Device">"cpu" or "cuda".</param>
/// <param name="FeatureBatchSize">Images per forward pass when extracting features.</param>
/// <param name="Precision">Feature extraction's precision: auto, fp32 or bf16 (<see cref="FeatureNetwork.Open"/>).</param>
/// <param name="Standardize">
/// Cached mode only: shift and scale every feature to mean 0, std 1 over the training split before
/// the classifier (BatchNorm without affine parameters, frozen; MAE's probe does the same). Still a
/// linear classifier of the features, but SGD at one rate then fits features of any scale — raw
/// pixels and random networks, whose features are far from unit scale, need it to converge.
/// </param>
public sealed record LinearProbeOptions(
    int Epochs = 100,
    int BatchSize = 256,
    double LearningRate = 0.3,
    double WeightDecay = 1e-6,
    double Momentum = 0.9,
    ProbeMode Mode = ProbeMode.Cached,
    int Seed = 0,
    string Device = "cpu",
    int FeatureBatchSize = FeatureExtractor.BatchSize,
    bool Standardize = false,
    string Precision = Precisions.Auto)
{
    /// <summary>A smoke-test run: 2 epochs.</summary>
    public LinearProbeOptions AsQuick() => this with { Epochs = 2 };

    /// <summary>Throws an <see cref="ArgumentException"/> naming every option that cannot work.</summary>
    public void Validate() => new OptionChecks()
        .AtLeast("epochs", Epochs, 1).AtLeast("batch-size", BatchSize, 1).AtLeast("feature batch size", FeatureBatchSize, 1)
        .Positive("lr", LearningRate).NotNegative("weight-decay", WeightDecay).Momentum("momentum", Momentum).Device(Device).OneOf("precision", Precision, Precisions.Names)
        .Require(!Standardize || Mode == ProbeMode.Cached, "Standardized features need the cached mode: drop --standardize or --augmented.")
        .ThrowIfAny("linear-probe");
}
