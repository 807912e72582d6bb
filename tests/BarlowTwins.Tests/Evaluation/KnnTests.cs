using BarlowTwins.Evaluation;
using BarlowTwins.Tests.Support;
using static TorchSharp.torch;

namespace BarlowTwins.Tests.Evaluation;

public class KnnTests
{
    public KnnTests() => Torch.Ensure();

    [Fact]
    public void ClusteredFeaturesAreClassifiedCorrectly()
    {
        using var train = EvalFixtures.Blobs(50, 4, 16, seed: 7);
        using var test = EvalFixtures.Blobs(25, 4, 16, seed: 8);
        var result = Knn.Classify(train, test, new KnnOptions(K: 20, ChunkSize: 30));
        Assert.Equal(100.0, result.Accuracy.Top1);
        Assert.Equal(100, result.Confusion.Total);
    }

    [Fact]
    public void ScoresMatchBruteForce()
    {
        // Random features, 3 classes, k = 5 of 40: the chunked matmul/topk/scatter path must equal
        // a plain loop over every pair (float32 sums of ≤ 5 terms: 1e-4 relative is generous).
        using var train = EvalFixtures.Blobs(40 / 3 + 1, 3, 6, seed: 9);
        using var queries = randn(7, 6, generator: new Generator(10));
        var options = new KnnOptions(K: 5, Temperature: 0.1);
        using var bank = nn.functional.normalize(train.Features, dim: 1);
        using var q = nn.functional.normalize(queries, dim: 1);
        using var scores = Knn.Scores(bank, train.Labels, q, 3, options);
        var expected = BruteForce(bank.data<float>().ToArray(), train.Labels.data<long>().ToArray(),
                                  q.data<float>().ToArray(), 6, 3, options);
        var actual = scores.data<float>().ToArray();
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-4 * Math.Max(1, Math.Abs(expected[i])),
                        $"score {i}: {actual[i]} vs {expected[i]}");
    }

    private static double[] BruteForce(float[] bank, long[] labels, float[] queries, int d, int classes, KnnOptions o)
    {
        int n = labels.Length, m = queries.Length / d;
        var scores = new double[m * classes];
        for (int q = 0; q < m; q++)
        {
            var sims = Enumerable.Range(0, n)
                .Select(j => (Sim: Enumerable.Range(0, d).Sum(t => (double)queries[q * d + t] * bank[j * d + t]), Label: labels[j]))
                .OrderByDescending(s => s.Sim).Take(o.K);
            foreach (var (sim, label) in sims) scores[q * classes + label] += Math.Exp(sim / o.Temperature);
        }
        return scores;
    }
}
