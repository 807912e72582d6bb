using BarlowTwins.Loss;
using TorchSharp;
using static TorchSharp.torch;

namespace BarlowTwins.Distributed;

/// <summary>
/// The Barlow Twins loss of the global batch, computed by every rank from its own rows:
/// <code>
///   μ  = Σ_ranks Σ_rows z / N            σ² = Σ_ranks Σ_rows (z − μ)² / N     (per dimension, per view)
///   ẑ  = (z − μ) / √(σ² + ε)             C  = Σ_ranks ẑAᵀ ẑB / N
/// </code>
/// with N the global batch. Every rank gets the same loss, and back-propagation leaves in its
/// parameters its share of the global gradient: summing the parameter gradients over ranks
/// (<see cref="DataParallel.SumGradients"/>) gives exactly the single-process gradient on the
/// global batch (<see cref="StepLoss.For"/> picks it on K &gt; 1 ranks). Not averaging: the authors' release all-reduces C outside autograd and averages
/// gradients, which leaves them 1/K of the true value.
/// </summary>
/// <param name="collectives">The ranks of this run.</param>
/// <param name="loss">The loss whose λ applies to the global C.</param>
public sealed class GlobalBarlowTwinsLoss(ICollectives collectives, BarlowTwinsLoss loss)
{
    /// <summary>The global loss for this rank's embeddings (n × D each; n may differ between ranks).</summary>
    public LossTerms Forward(Tensor zA, Tensor zB)
    {
        using var c = CrossCorrelation(zA, zB);
        return loss.Terms(c);
    }

    /// <summary>
    /// The global C (D × D, float32, the same on every rank), differentiable: the distributed
    /// counterpart of <see cref="BarlowTwinsLoss.CrossCorrelation"/>, for callers that keep C
    /// (heat maps, diagnostics) and then call <see cref="BarlowTwinsLoss.Terms"/>.
    /// </summary>
    public Tensor CrossCorrelation(Tensor zA, Tensor zB)
    {
        if (zA.dim() != 2 || !zA.shape.SequenceEqual(zB.shape))
            throw new ArgumentException($"Embeddings must both be n × D; got [{string.Join(", ", zA.shape)}] and [{string.Join(", ", zB.shape)}].");
        using var scope = NewDisposeScope();
        var z = stack([zA, zB]).to_type(ScalarType.Float32); // 2 × n × D: both views reduced in one call
        var moments = GlobalMoments.Of(z, [1], BarlowTwinsLoss.Epsilon, collectives);
        if (moments.Count < 2) throw new ArgumentException("Barlow Twins needs at least 2 samples in the global batch.");
        var standardized = moments.Standardized;
        var c = SumOverRanks.Apply(standardized[0].t().mm(standardized[1]), collectives, SumConsumer.Replicated) / moments.Count;
        return c.MoveToOuterDisposeScope();
    }
}
