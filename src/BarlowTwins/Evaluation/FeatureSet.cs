using static TorchSharp.torch;

namespace BarlowTwins.Evaluation;

/// <summary>Features of a whole split (N × D, float32) with their labels (N, int64) and class names.</summary>
public sealed class FeatureSet : IDisposable
{
    /// <summary>N × D features; owned by this set.</summary>
    public Tensor Features { get; }

    /// <summary>N labels; owned by this set.</summary>
    public Tensor Labels { get; }

    /// <summary>Class names by label.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>Number of samples.</summary>
    public long Count => Features.shape[0];

    /// <summary>Feature width D.</summary>
    public long Dimension => Features.shape[1];

    /// <summary>Takes ownership of <paramref name="features"/> and <paramref name="labels"/>.</summary>
    public FeatureSet(Tensor features, Tensor labels, IReadOnlyList<string> classes)
    {
        if (features.dim() != 2 || labels.dim() != 1 || features.shape[0] != labels.shape[0])
            throw new ArgumentException(
                $"Features must be N × D and labels N; got [{string.Join(", ", features.shape)}] and [{string.Join(", ", labels.shape)}].");
        Features = features;
        Labels = labels;
        Classes = classes;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Features.Dispose();
        Labels.Dispose();
    }
}
