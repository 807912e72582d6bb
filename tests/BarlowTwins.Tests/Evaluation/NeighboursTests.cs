using BarlowTwins.Evaluation;
using static TorchSharp.torch;

namespace BarlowTwins.Tests.Evaluation;

/// <summary>Cosine neighbours and near-duplicate pairs on embeddings whose answers are known by construction.</summary>
public class NeighboursTests
{
    // Rows 0..5 in 3-d: 3 is 0 scaled (cosine 1), 1 is close to both (0.9939), 2 opposes them,
    // 4 and 5 are orthogonal to them and far from each other (0.0995).
    private static Tensor Rows() => tensor(new float[,]
    {
        { 1, 0, 0 }, { 0.9f, 0.1f, 0 }, { -1, 0, 0 }, { 5, 0, 0 }, { 0, 1, 0 }, { 0, 0.1f, 1 },
    });

    [Fact]
    public void NearestRanksByCosineAndLeavesTheQueryOut()
    {
        Support.Torch.Ensure();
        using var rows = Rows();
        var nearest = Neighbours.Nearest(rows, query: 0, k: 3);
        Assert.Equal([3, 1], nearest.Take(2).Select(n => n.Index));
        Assert.Equal(1f, nearest[0].Cosine, 6);
        Assert.Equal(0.9f / MathF.Sqrt(0.82f), nearest[1].Cosine, 6);
        Assert.DoesNotContain(nearest, n => n.Index == 0);
        var all = Neighbours.Nearest(rows, query: 2, k: 50); // k is capped at the other rows
        Assert.Equal(5, all.Count);
        Assert.Equal(-1f, all[^1].Cosine, 6); // the opposite direction comes last
    }

    [Fact]
    public void DuplicatesFindEveryPairAboveTheThresholdOnceAcrossChunks()
    {
        Support.Torch.Ensure();
        using var rows = Rows();
        foreach (int chunk in new[] { 1, 2, 4, 1024 })
        {
            var pairs = Neighbours.Duplicates(rows, threshold: 0.99, limit: 10, out long total, chunk);
            Assert.Equal(3, total);
            Assert.Equal([(0, 3), (0, 1), (1, 3)], pairs.Select(p => (p.A, p.B)));
            var top = Neighbours.Duplicates(rows, threshold: 0.99, limit: 1, out long counted, chunk);
            Assert.Equal((0, 3), (Assert.Single(top).A, top[0].B));
            Assert.Equal(3, counted);
        }
    }
}
