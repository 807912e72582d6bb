using static TorchSharp.torch;

namespace BarlowTwins.Evaluation;

/// <summary>Per-dimension mean and std of a training feature set, applied to any set (a frozen, affine-free BatchNorm).</summary>
internal sealed class FeatureScaling : IDisposable
{
    // Only guards constant (dead) features: BatchNorm's 1e-5 would shrink features whose variance
    // is that small themselves, as a random network's are.
    private const double Epsilon = 1e-12;
    private readonly Tensor _mean;
    private readonly Tensor _std;

    private FeatureScaling(Tensor mean, Tensor std)
    {
        _mean = mean;
        _std = std;
    }

    /// <summary>The statistics of <paramref name="train"/> (biased variance).</summary>
    public static FeatureScaling Of(FeatureSet train)
    {
        var (variance, mean) = var_mean(train.Features, [0], unbiased: false, keepdim: true);
        using (variance) return new FeatureScaling(mean, (variance + Epsilon).sqrt_());
    }

    /// <summary>(features − mean) / std of <paramref name="set"/>, as a new set (labels copied).</summary>
    public FeatureSet Apply(FeatureSet set) =>
        new(set.Features.sub(_mean).div_(_std), set.Labels.clone(), set.Classes);

    public void Dispose()
    {
        _mean.Dispose();
        _std.Dispose();
    }
}
