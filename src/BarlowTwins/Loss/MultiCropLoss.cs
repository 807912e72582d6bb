using static TorchSharp.torch;

namespace BarlowTwins.Loss;

/// <summary>
/// Barlow Twins with multi-crop, an option beyond the paper. With the two global views A, B and K
/// small views l₁ … l_K of every image, the objective is the mean of the paper's loss over the
/// pairs of a global view with any other view, each pair with its own cross-correlation:
/// <code>
///   P    = { (A, B) } ∪ { (A, l_k), (B, l_k) : k = 1 … K }          |P| = 2K + 1
///   C_gv = ẑ_gᵀ ẑ_v / N                                             (each view standardised over the batch)
///   L    = (1 / |P|) Σ_{(g, v) ∈ P}  [ Σ_i (1 − C_gv,ii)²  +  λ Σ_i Σ_{j≠i} C_gv,ij² ]
/// </code>
/// Small views are never paired with each other: like SwAV's, they only learn to agree with the
/// whole image. With K = 0 this is exactly the paper's two-view loss. The reported terms are
/// the means of each pair's terms.
/// </summary>
public static class MultiCropLoss
{
    /// <summary>
    /// The loss of <paramref name="embeddings"/> = [zA, zB, z_l₁, …, z_l_K] (N × D each), with
    /// <paramref name="pairLoss"/> the two-view loss of one pair (e.g. <see cref="BarlowTwinsLoss.Forward"/>,
    /// or the global loss of a data-parallel run).
    /// </summary>
    public static LossTerms Mean(Func<Tensor, Tensor, LossTerms> pairLoss, IReadOnlyList<Tensor> embeddings)
    {
        if (embeddings.Count < 2) throw new ArgumentException($"Barlow Twins needs two global views; got {embeddings.Count} embeddings.");
        if (embeddings.Count == 2) return pairLoss(embeddings[0], embeddings[1]);
        using var scope = NewDisposeScope();
        var pairs = Pairs(embeddings.Count).Select(p => pairLoss(embeddings[p.Global], embeddings[p.Other])).ToList();
        var terms = new LossTerms(MeanOf(pairs, t => t.Loss), MeanOf(pairs, t => t.Invariance), MeanOf(pairs, t => t.Redundancy));
        return new LossTerms(terms.Loss.MoveToOuterDisposeScope(), terms.Invariance.MoveToOuterDisposeScope(),
                             terms.Redundancy.MoveToOuterDisposeScope());
    }

    /// <summary>The pairs P for <paramref name="views"/> views (2 global, then small ones), as indices, in the order they are summed.</summary>
    public static IEnumerable<(int Global, int Other)> Pairs(int views)
    {
        yield return (0, 1);
        for (int small = 2; small < views; small++)
        {
            yield return (0, small);
            yield return (1, small);
        }
    }

    private static Tensor MeanOf(List<LossTerms> pairs, Func<LossTerms, Tensor> term) => stack(pairs.Select(term)).mean();
}
