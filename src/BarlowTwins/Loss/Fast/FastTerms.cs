// Computes the same numbers as BarlowTwinsLoss.Terms(BarlowTwinsLoss.CrossCorrelation(zA, zB)); FastTermsTests holds the two forms equal and BarlowTwinsLossTests the choice between them (both branches against the fixtures and float64 autograd).
using static TorchSharp.torch;

namespace BarlowTwins.Loss.Fast;

/// <summary>
/// <see cref="BarlowTwinsLoss.Forward"/>: the cheaper of the two fast paths, each with a hand-written
/// gradient: the N × N Gram form (<see cref="GramCorrelationTerms"/>) when N &lt; D, else the
/// blocked D × D form (<see cref="BlockedCorrelationTerms"/>), which needs no D×D intermediate
/// beyond C and processes C in blocks beyond <see cref="BarlowTwinsLoss.MemoryBudgetBytes"/>.
/// </summary>
public static class FastTerms
{
    /// <summary>The loss of <paramref name="loss"/> for embeddings <paramref name="zA"/>, <paramref name="zB"/> (N × D each).</summary>
    public static LossTerms Compute(BarlowTwinsLoss loss, Tensor zA, Tensor zB)
    {
        long n = EmbeddingPair.BatchSize(zA, zB), d = zA.shape[1];
        using var a = BarlowTwinsLoss.Standardize(zA);
        using var b = BarlowTwinsLoss.Standardize(zB);
        var (invariance, redundancy) = GramCorrelationTerms.IsCheaper(n, d)
            ? GramCorrelationTerms.Compute(a, b, n)
            : BlockedCorrelationTerms.Compute(a, b, n, loss.MemoryBudgetBytes);
        return loss.Of(invariance, redundancy, d);
    }
}
