using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace BarlowTwins.Evaluation;

/// <summary>One neighbour: its row and its cosine similarity to the query.</summary>
public readonly record struct Neighbour(int Index, float Cosine);

/// <summary>Two rows whose embeddings are nearly the same (A &lt; B).</summary>
public readonly record struct NearDuplicate(int A, int B, float Cosine);

/// <summary>
/// Retrieval and de-duplication on embeddings (N × D): cosine similarity of L2-normalised rows,
/// computed a chunk of rows at a time so memory stays at chunk × N floats.
/// </summary>
public static class Neighbours
{
    /// <summary>The <paramref name="k"/> rows most similar to row <paramref name="query"/>, most similar first (the query itself left out).</summary>
    public static IReadOnlyList<Neighbour> Nearest(Tensor embeddings, int query, int k)
    {
        long count = embeddings.shape[0];
        ArgumentOutOfRangeException.ThrowIfNegative(query);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(query, count);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        using var scope = NewDisposeScope();
        var unit = functional.normalize(embeddings.to_type(ScalarType.Float32), dim: 1);
        var similarity = unit.mv(unit[query]);
        similarity[query] = float.NegativeInfinity;
        var (values, indices) = similarity.topk((int)Math.Min(k, count - 1));
        var cosines = values.data<float>().ToArray();
        var rows = indices.data<long>().ToArray();
        return [.. rows.Select((row, i) => new Neighbour((int)row, cosines[i]))];
    }

    /// <summary>
    /// Every pair of rows with cosine similarity ≥ <paramref name="threshold"/>, most similar first;
    /// <paramref name="total"/> counts them all, the list keeps the first <paramref name="limit"/>.
    /// </summary>
    public static IReadOnlyList<NearDuplicate> Duplicates(Tensor embeddings, double threshold, int limit, out long total, int chunk = 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 0);
        long count = embeddings.shape[0];
        using var unit = functional.normalize(embeddings.to_type(ScalarType.Float32), dim: 1);
        var pairs = new List<NearDuplicate>();
        total = 0;
        for (long start = 0; start < count; start += chunk)
        {
            using var scope = NewDisposeScope();
            long rows = Math.Min(chunk, count - start);
            var similarity = unit.narrow(0, start, rows).mm(unit.t());
            // Only pairs (a, b) with b > a: each pair once, no row with itself.
            var later = arange(count).unsqueeze(0) > arange(start, start + rows).unsqueeze(1);
            var found = similarity.ge(threshold).logical_and_(later).nonzero();
            total += found.shape[0];
            if (found.shape[0] == 0) continue;
            var (rowsFound, columns) = (found.select(1, 0).contiguous(), found.select(1, 1).contiguous());
            var cosines = similarity.flatten().index_select(0, rowsFound * count + columns).data<float>().ToArray();
            var a = rowsFound.data<long>().ToArray();
            var b = columns.data<long>().ToArray();
            for (int i = 0; i < a.Length; i++) pairs.Add(new NearDuplicate((int)(start + a[i]), (int)b[i], cosines[i]));
            Keep(pairs, limit);
        }
        Keep(pairs, limit);
        return pairs;
    }

    // The limit most similar pairs, in order (ties by row), pruned as chunks arrive so memory stays bounded.
    private static void Keep(List<NearDuplicate> pairs, int limit)
    {
        pairs.Sort((x, y) => y.Cosine != x.Cosine ? y.Cosine.CompareTo(x.Cosine) : x.A != y.A ? x.A.CompareTo(y.A) : x.B.CompareTo(y.B));
        if (pairs.Count > limit) pairs.RemoveRange(limit, pairs.Count - limit);
    }
}
