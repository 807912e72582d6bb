using static TorchSharp.torch;

namespace BarlowTwins.Loss;

/// <summary>The loss and its two terms, each a scalar tensor.</summary>
/// <param name="Loss">invariance + λ · redundancy (the invariance term weighted by <see cref="BarlowTwinsLoss.InvarianceWeight"/>).</param>
/// <param name="Invariance">Σ_i (1 − C_ii)².</param>
/// <param name="Redundancy">Σ_i Σ_{j≠i} C_ij² (not yet multiplied by λ).</param>
public sealed record LossTerms(Tensor Loss, Tensor Invariance, Tensor Redundancy)
{
    internal LossTerms MoveToOuterDisposeScope() =>
        new(Loss.MoveToOuterDisposeScope(), Invariance.MoveToOuterDisposeScope(), Redundancy.MoveToOuterDisposeScope());
}
