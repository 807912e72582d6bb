using BarlowTwins.Loss;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace BarlowTwins.Training;

/// <summary>
/// Forward and backward of one step on a batch larger than memory allows, with the gradient of
/// the whole batch. Naive gradient accumulation is wrong for Barlow Twins: the loss standardises
/// the embeddings over the batch and correlates every sample with every other, so it does not
/// split into a sum over micro-batches. Instead:
/// <list type="number">
/// <item>embed both views micro-batch by micro-batch without a graph (ZA, ZB: N × D, small);</item>
/// <item>compute the exact loss on the whole of ZA, ZB, and dL/dZA, dL/dZB;</item>
/// <item>re-run each micro-batch with a graph and back-propagate its slice of dL/dZ.</item>
/// </list>
/// Memory is that of one micro-batch's graph; the cost is one extra forward pass.
/// <para>
/// Exact when the network is the same function of each sample whichever micro-batch it is in:
/// no dropout, and batch-norm in eval mode (or absent). With training-mode batch-norm every
/// micro-batch is normalised by its own statistics ("ghost batch-norm"): the gradient is still
/// the exact gradient of that objective, but not of one with full-batch statistics. Running
/// statistics are updated once per micro-batch, as if each were its own forward pass: the
/// graph-free pass leaves them untouched.
/// </para>
/// </summary>
public static class MicroBatchStep
{
    /// <summary>
    /// Runs forward and backward for one step, leaving the full-batch gradient accumulated into
    /// the parameters' <c>.grad</c> (zero them first), and returns the loss terms (detached).
    /// </summary>
    /// <param name="network">The twin network: one view's images → embeddings (N × D).</param>
    /// <param name="loss">The loss of the two embeddings, e.g. <see cref="BarlowTwinsLoss.Forward"/>
    /// or a data-parallel global loss; it is called once, on the whole batch.</param>
    /// <param name="viewA">First view, N samples.</param>
    /// <param name="viewB">Second view, N samples.</param>
    /// <param name="microBatch">Samples per forward pass with a graph; ≥ N runs the batch in one shot.</param>
    public static LossTerms Run(Module<Tensor, Tensor> network, Func<Tensor, Tensor, LossTerms> loss,
                                Tensor viewA, Tensor viewB, int microBatch)
    {
        var (terms, zA, zB) = RunWithEmbeddings(network, loss, viewA, viewB, microBatch);
        zA.Dispose();
        zB.Dispose();
        return terms;
    }

    /// <summary>
    /// <see cref="Run"/>, also returning both views' embeddings of the whole batch (detached), for
    /// diagnostics that need them.
    /// </summary>
    public static (LossTerms Terms, Tensor EmbeddingsA, Tensor EmbeddingsB) RunWithEmbeddings(
        Module<Tensor, Tensor> network, Func<Tensor, Tensor, LossTerms> loss, Tensor viewA, Tensor viewB, int microBatch)
    {
        if (viewB.shape[0] != viewA.shape[0])
            throw new ArgumentException($"Both views need the same number of samples; got {viewA.shape[0]} and {viewB.shape[0]}.");
        var (terms, z) = RunWithEmbeddings(network, z => loss(z[0], z[1]), [viewA, viewB], microBatch);
        return (terms, z[0], z[1]);
    }

    /// <summary>
    /// The same for any number of forward passes: each of <paramref name="inputs"/> runs through
    /// <paramref name="network"/> as its own batch (its own batch-norm statistics), <paramref name="loss"/>
    /// takes all their outputs at once, and the outputs come back detached, in order.
    /// </summary>
    public static (LossTerms Terms, Tensor[] Embeddings) RunWithEmbeddings(
        Module<Tensor, Tensor> network, Func<IReadOnlyList<Tensor>, LossTerms> loss, IReadOnlyList<Tensor> inputs, int microBatch)
    {
        if (microBatch < 1)
            throw new ArgumentOutOfRangeException(nameof(microBatch), microBatch, "The micro-batch size must be at least 1.");
        using var scope = NewDisposeScope();
        var (terms, outputs) = inputs.All(x => microBatch >= x.shape[0])
            ? OneShot(network, loss, inputs)
            : InMicroBatches(network, loss, inputs, microBatch);
        return (Detached(terms), outputs.Select(z => z.detach().MoveToOuterDisposeScope()).ToArray());
    }

    private static (LossTerms, Tensor[]) OneShot(Module<Tensor, Tensor> network, Func<IReadOnlyList<Tensor>, LossTerms> loss,
                                                 IReadOnlyList<Tensor> inputs)
    {
        var outputs = inputs.Select(network.call).ToArray();
        var terms = loss(outputs);
        terms.Loss.backward();
        return (terms, outputs);
    }

    private static (LossTerms, Tensor[]) InMicroBatches(Module<Tensor, Tensor> network, Func<IReadOnlyList<Tensor>, LossTerms> loss,
                                                        IReadOnlyList<Tensor> inputs, int microBatch)
    {
        Tensor[] outputs;
        using (no_grad())
        using (new BufferSnapshot(network))
            outputs = inputs.Select(x => EmbedInChunks(network, x, microBatch)).ToArray();
        foreach (var z in outputs) z.requires_grad_(true);
        var terms = loss(outputs);
        terms.Loss.backward();
        for (int i = 0; i < inputs.Count; i++) BackpropagateInChunks(network, inputs[i], outputs[i].grad!, microBatch);
        return (terms, outputs);
    }

    private static Tensor EmbedInChunks(Module<Tensor, Tensor> network, Tensor view, int microBatch)
    {
        using var scope = NewDisposeScope();
        var chunks = Chunks(view.shape[0], microBatch).Select(c => network.call(view.narrow(0, c.Start, c.Length))).ToList();
        return cat(chunks, 0).MoveToOuterDisposeScope();
    }

    private static void BackpropagateInChunks(Module<Tensor, Tensor> network, Tensor view, Tensor gradient, int microBatch)
    {
        foreach (var (start, length) in Chunks(view.shape[0], microBatch))
        {
            // One micro-batch's graph at a time: it is freed by backward before the next is built.
            using var scope = NewDisposeScope();
            var z = network.call(view.narrow(0, start, length));
            z.backward([gradient.narrow(0, start, length)]);
        }
    }

    private static IEnumerable<(long Start, long Length)> Chunks(long n, int size)
    {
        for (long start = 0; start < n; start += size) yield return (start, Math.Min(size, n - start));
    }

    private static LossTerms Detached(LossTerms terms) => new(
        terms.Loss.detach().MoveToOuterDisposeScope(),
        terms.Invariance.detach().MoveToOuterDisposeScope(),
        terms.Redundancy.detach().MoveToOuterDisposeScope());

    /// <summary>Copies a module's buffers (BN running statistics) and puts them back on dispose.</summary>
    private sealed class BufferSnapshot : IDisposable
    {
        private readonly List<(Tensor Buffer, Tensor Saved)> _saved;

        public BufferSnapshot(Module module) =>
            _saved = module.buffers().Select(b => (b, b.clone().DetachFromDisposeScope())).ToList();

        public void Dispose()
        {
            using var _ = no_grad();
            foreach (var (buffer, saved) in _saved)
            {
                buffer.copy_(saved);
                saved.Dispose();
            }
        }
    }
}
