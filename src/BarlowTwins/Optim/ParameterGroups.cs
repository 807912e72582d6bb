using TorchSharp.Modules;

namespace BarlowTwins.Optim;

/// <summary>
/// The authors' split of parameters: "weights" (two or more dimensions: convolutions, linear
/// layers) and "biases" (one dimension: biases and BN γ/β), each in module order. The two get
/// different learning rates, and LARS exempts the second from weight decay and trust ratio.
/// </summary>
public sealed record ParameterGroups(IReadOnlyList<Parameter> Weights, IReadOnlyList<Parameter> Biases)
{
    /// <summary>Splits trainable parameters by dimensionality.</summary>
    public static ParameterGroups Of(IEnumerable<Parameter> parameters)
    {
        var trainable = parameters.Where(p => p.requires_grad).ToList();
        return new(trainable.Where(p => !IsBiasOrNorm(p)).ToList(), trainable.Where(IsBiasOrNorm).ToList());
    }

    /// <summary>One-dimensional parameters: biases and batch-norm γ/β.</summary>
    public static bool IsBiasOrNorm(Parameter p) => p.dim() == 1;

    /// <summary>Weights then biases, the order optimizer state is stored in.</summary>
    public IEnumerable<Parameter> All => Weights.Concat(Biases);
}
