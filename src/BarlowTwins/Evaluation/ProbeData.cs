using BarlowTwins.Augment;
using BarlowTwins.Data;
using static TorchSharp.torch;

namespace BarlowTwins.Evaluation;

/// <summary>The labelled splits of an evaluation and how their images become tensors.</summary>
/// <param name="Train">Labelled training split.</param>
/// <param name="Test">Labelled test split (all numbers are measured here).</param>
/// <param name="EvalTransform">Deterministic transform (resize, centre crop, normalise).</param>
/// <param name="TrainTransform">Random transform for training (random resized crop, flip); only needed by augmented protocols.</param>
/// <param name="Skipped">The files and folders of both splits that could not be read and were left out (null: none recorded).</param>
public sealed record ProbeData(IImageSource Train, IImageSource Test,
                               IBatchTransform<LabelledBatch> EvalTransform,
                               IBatchTransform<LabelledBatch>? TrainTransform = null,
                               DataReport? Skipped = null)
{
    /// <summary>Class names, from the training split.</summary>
    public IReadOnlyList<string> Classes =>
        Train.Classes.Count > 0 ? Train.Classes
        : throw new ArgumentException($"'{Train.Description}' has no class names: evaluation needs a labelled source.");

    /// <summary>
    /// Opens the train and test splits of <paramref name="data"/> (a data spec) with the eval and
    /// probe-training transforms of augmentation preset <paramref name="preset"/>, keeping at most
    /// the first <paramref name="maxTrain"/> / <paramref name="maxTest"/> images (e.g. for a k-NN
    /// monitor during pre-training).
    /// </summary>
    public static ProbeData Open(string data, string preset, Device device, int maxTrain = int.MaxValue, int maxTest = int.MaxValue)
    {
        var spec = DataSpec.Parse(data);
        var report = new DataReport();
        var train = IndexedSource.First(spec.Open(DataSplit.Train, report), maxTrain);
        if (train.Classes.Count == 0) // before any feature is extracted
            throw new ArgumentException(
                $"{data} has no labels ({train.Description}): evaluation (eval, --knn-every) needs a labelled source, such as a folder with one sub-folder per class.");
        var test = IndexedSource.First(spec.Open(DataSplit.Test, report), maxTest);
        var recipe = TwoViewRecipe.Preset(preset);
        if (recipe.Normalization.Channels != train.Channels)
            throw new ArgumentException(
                $"Preset '{preset}' normalises {recipe.Normalization.Channels}-channel images but {data} has " +
                $"{train.Channels}; choose a matching preset.");
        return new ProbeData(train, test, Augment.EvalTransform.For(recipe, device), ProbeTrainTransform.For(recipe, device), report);
    }

    /// <summary>
    /// <paramref name="backbone"/> run for features in <paramref name="precision"/>; auto is timed on the
    /// training split's first batch (<see cref="FeatureNetwork.Open"/>).
    /// </summary>
    public FeatureNetwork Network(nn.Module<Tensor, Tensor> backbone, string precision, int batchSize, Device device) =>
        FeatureNetwork.Open(backbone, precision, Train, EvalTransform, batchSize, device);

    internal IBatchTransform<LabelledBatch> RequireTrainTransform() =>
        TrainTransform ?? throw new ArgumentException("This protocol augments training images: give a training transform.");
}
