using static TorchSharp.torch;

namespace BarlowTwins.Loss;

/// <summary>
/// Barlow Twins with multi-crop, an option beyond the paper. With the two global views A, B and K
/// small views l₁ … l_K of every image, the objective is the mean of the paper's loss over pairs of
/// views, each pair with its own cross-correlation. Which views pair is the <em>pairing</em>:
/// <code>
///   global (the default):  P = { (A, B) } ∪ { (A, l_k), (B, l_k) : k = 1 … K }     |P| = 2K + 1
///   mean (EMP-SSL's):      P = { (v, z̄) : v ∈ {A, B, l₁ … l_K} },  z̄ = mean of the K + 2 views' embeddings of each image
///   C_gv = ẑ_gᵀ ẑ_v / N                                             (each side standardised over the batch)
///   L    = (1 / |P|) Σ_{(g, v) ∈ P}  [ Σ_i (1 − C_gv,ii)²  +  λ Σ_i Σ_{j≠i} C_gv,ij² ]
/// </code>
/// With the global pairing small views are never paired with each other: like SwAV's, they only
/// learn to agree with the whole image, and with K = 0 this is exactly the paper's two-view loss.
/// The mean pairing is EMP-SSL's patch-to-mean invariance (Tong et al. 2023) with the Barlow Twins
/// loss in place of its cosine and coding-rate terms: every view learns to agree with the image's
/// average embedding, and z̄ carries gradient to every view. It is not the paper's method even at
/// K = 0. The reported terms are the means of each pair's terms.
/// </summary>
public static class MultiCropLoss
{
    /// <summary>The pairing of <see cref="OverGlobalPairs"/>: each global view with every other view (the paper's at K = 0).</summary>
    public const string GlobalPairing = "global";

    /// <summary>The pairing of <see cref="OverMeanPairs"/>: every view with the mean embedding of its image's views.</summary>
    public const string MeanPairing = "mean";

    /// <summary>The pairings by name, as <c>--view-pairing</c> takes them.</summary>
    public static IReadOnlyList<string> Pairings { get; } = [GlobalPairing, MeanPairing];

    /// <summary>The objective of the pairing named <paramref name="pairing"/> (one of <see cref="Pairings"/>).</summary>
    public static Func<Func<Tensor, Tensor, LossTerms>, IReadOnlyList<Tensor>, LossTerms> Of(string pairing) => pairing switch
    {
        GlobalPairing => OverGlobalPairs,
        MeanPairing => OverMeanPairs,
        _ => throw new ArgumentException($"Unknown view pairing '{pairing}': use {string.Join(" or ", Pairings)}."),
    };

    /// <summary>
    /// The global pairing's loss of <paramref name="embeddings"/> = [zA, zB, z_l₁, …, z_l_K] (N × D each), with
    /// <paramref name="pairLoss"/> the two-view loss of one pair (e.g. <see cref="BarlowTwinsLoss.Forward"/>,
    /// or the global loss of a data-parallel run).
    /// </summary>
    public static LossTerms OverGlobalPairs(Func<Tensor, Tensor, LossTerms> pairLoss, IReadOnlyList<Tensor> embeddings)
    {
        RequireTwoGlobalViews(embeddings);
        if (embeddings.Count == 2) return pairLoss(embeddings[0], embeddings[1]);
        return MeanOverPairs(() => Pairs(embeddings.Count).Select(p => pairLoss(embeddings[p.Global], embeddings[p.Other])));
    }

    /// <summary>
    /// The mean pairing's loss of <paramref name="embeddings"/> = [zA, zB, z_l₁, …, z_l_K] (N × D each):
    /// every view against z̄, their mean, computed in float32 whatever the views' precision.
    /// </summary>
    public static LossTerms OverMeanPairs(Func<Tensor, Tensor, LossTerms> pairLoss, IReadOnlyList<Tensor> embeddings)
    {
        RequireTwoGlobalViews(embeddings);
        return MeanOverPairs(() =>
        {
            var mean = stack(embeddings.Select(z => z.to_type(ScalarType.Float32))).mean([0]);
            return embeddings.Select(z => pairLoss(z, mean));
        });
    }

    /// <summary>The global pairing's pairs P for <paramref name="views"/> views (2 global, then small ones), as indices, in the order they are summed.</summary>
    public static IEnumerable<(int Global, int Other)> Pairs(int views)
    {
        yield return (0, 1);
        for (int small = 2; small < views; small++)
        {
            yield return (0, small);
            yield return (1, small);
        }
    }

    private static void RequireTwoGlobalViews(IReadOnlyList<Tensor> embeddings)
    {
        if (embeddings.Count < 2) throw new ArgumentException($"Barlow Twins needs two global views; got {embeddings.Count} embeddings.");
    }

    // The pairs' losses are made inside this scope; only their three means leave it.
    private static LossTerms MeanOverPairs(Func<IEnumerable<LossTerms>> pairLosses)
    {
        using var scope = NewDisposeScope();
        var pairs = pairLosses().ToList();
        return new LossTerms(MeanOf(pairs, t => t.Loss).MoveToOuterDisposeScope(), MeanOf(pairs, t => t.Invariance).MoveToOuterDisposeScope(),
                             MeanOf(pairs, t => t.Redundancy).MoveToOuterDisposeScope());
    }

    private static Tensor MeanOf(List<LossTerms> pairs, Func<LossTerms, Tensor> term) => stack(pairs.Select(term)).mean();
}
