using BarlowTwins.Augment;
using BarlowTwins.Data;

namespace BarlowTwins.Evaluation;

/// <summary>The labelled splits of an evaluation and how their images become tensors.</summary>
/// <param name="Train">Labelled training split.</param>
/// <param name="Test">Labelled test split (all numbers are measured here).</param>
/// <param name="EvalTransform">Deterministic transform (resize, centre crop, normalise).</param>
/// <param name="TrainTransform">Random transform for training (random resized crop, flip); only needed by augmented protocols.</param>
public sealed record ProbeData(IImageSource Train, IImageSource Test,
                               IBatchTransform<LabelledBatch> EvalTransform,
                               IBatchTransform<LabelledBatch>? TrainTransform = null)
{
    /// <summary>Class names, from the training split.</summary>
    public IReadOnlyList<string> Classes =>
        Train.Classes.Count > 0 ? Train.Classes
        : throw new ArgumentException($"'{Train.Description}' has no class names: evaluation needs a labelled source.");

    internal IBatchTransform<LabelledBatch> RequireTrainTransform() =>
        TrainTransform ?? throw new ArgumentException("This protocol augments training images: give a training transform.");
}
