using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace BarlowTwins.Distributed;

/// <summary>
/// The steps of data-parallel training around the global loss: start every rank from rank 0's
/// weights, sum the gradient shares after backward, keep batch-norm running statistics in step,
/// and give each rank its slice of the global batch.
/// </summary>
public static class DataParallel
{
    // Gradients and buffers travel in flat buckets of at most this many elements (64 MB of float32).
    private const long BucketElements = 1L << 24;

    /// <summary>Copies rank 0's parameters and buffers to every rank, so all replicas start identical.</summary>
    public static void BroadcastState(this ICollectives collectives, Module module)
    {
        foreach (var p in module.parameters()) collectives.Broadcast(p);
        foreach (var b in module.buffers()) collectives.Broadcast(b);
    }

    /// <summary>
    /// Replaces each parameter's gradient by its sum over ranks. With <see cref="GlobalBarlowTwinsLoss"/>
    /// that sum is the gradient of the global loss; after it every rank applies the same update.
    /// </summary>
    public static void SumGradients(this ICollectives collectives, IEnumerable<Parameter> parameters)
    {
        if (collectives.Size == 1) return;
        using var scope = NewDisposeScope(); // owns the .grad wrappers, not the gradients
        collectives.SumInPlace(parameters.Where(p => p.requires_grad).Select(GradientOf).ToList());
    }

    /// <summary>
    /// Averages floating-point buffers (batch-norm running mean and variance) over ranks. Without
    /// synchronised batch-norm each rank's statistics come from its own shard; averaging keeps
    /// the replicas identical, so rank 0's checkpoint speaks for all of them.
    /// </summary>
    public static void AverageBuffers(this ICollectives collectives, Module module)
    {
        if (collectives.Size == 1) return;
        using var _ = no_grad();
        var buffers = module.buffers().Where(b => b.is_floating_point()).ToList();
        collectives.SumInPlace(buffers);
        foreach (var buffer in buffers) buffer.div_(collectives.Size);
    }

    /// <summary>Cores of this machine per rank on it: the tensor threads each rank should use.</summary>
    public static int ThreadsPerRank(this ICollectives collectives) =>
        Math.Max(1, Environment.ProcessorCount / collectives.LocalSize);

    /// <summary>Σ over ranks of a number (in float64).</summary>
    public static double Total(this ICollectives collectives, double value)
    {
        using var total = tensor(value, ScalarType.Float64);
        collectives.AllReduceSum(total);
        return total.item<double>();
    }

    /// <summary>This rank's contiguous slice [Start, Start + Length) of a global batch of <paramref name="globalCount"/> samples.</summary>
    public static (long Start, long Length) Shard(this ICollectives collectives, long globalCount)
    {
        long start = globalCount * collectives.Rank / collectives.Size;
        long end = globalCount * (collectives.Rank + 1) / collectives.Size;
        return (start, end - start);
    }

    private static Tensor GradientOf(Parameter p) =>
        p.grad ?? throw new InvalidOperationException(
            "A parameter has no gradient: every rank must back-propagate the global loss before the gradients are summed.");

    /// <summary>All-reduces many tensors in few calls: flat buckets, each summed, then copied back.</summary>
    private static void SumInPlace(this ICollectives collectives, List<Tensor> tensors)
    {
        using var _ = no_grad();
        foreach (var bucket in Buckets(tensors))
        {
            using var scope = NewDisposeScope();
            var flat = cat(bucket.Select(t => t.flatten()).ToList(), 0);
            collectives.AllReduceSum(flat);
            long offset = 0;
            foreach (var t in bucket)
            {
                t.copy_(flat.narrow(0, offset, t.numel()).view_as(t));
                offset += t.numel();
            }
        }
    }

    private static IEnumerable<List<Tensor>> Buckets(List<Tensor> gradients)
    {
        var bucket = new List<Tensor>();
        long size = 0;
        foreach (var g in gradients)
        {
            if (bucket.Count > 0 && (size + g.numel() > BucketElements || g.dtype != bucket[0].dtype))
            {
                yield return bucket;
                (bucket, size) = (new List<Tensor>(), 0);
            }
            bucket.Add(g);
            size += g.numel();
        }
        if (bucket.Count > 0) yield return bucket;
    }
}
