namespace BarlowTwins.Data;

/// <summary>
/// Cuts a source into batches and transforms them on worker threads, reproducibly. Each epoch's
/// order is one shuffle of all images seeded by (seed, epoch); global batch g is positions
/// [g·B·W, (g+1)·B·W) of it, and rank r takes its r-th slice of B images, so ranks see disjoint
/// parts of the same permutation. Each global batch is transformed with a seed derived from
/// (seed, epoch, g), and rank r's slice starts at position r·B of it (the transform's firstIndex),
/// so every image gets the random draws it gets in a single process with batch B·W: the views do
/// not depend on the world size. Workers build batches ahead through a bounded queue and the batches come
/// out in order, so the results are bit-identical for any number of workers. The caller owns (and
/// disposes) every batch it receives; batches built but not taken are disposed by the loader.
/// </summary>
/// <typeparam name="TBatch">What the transform makes, e.g. the two views of each image (Augment/).</typeparam>
public sealed class BatchLoader<TBatch>
{
    private readonly IImageSource source;
    private readonly IBatchTransform<TBatch> transform;

    /// <summary>A loader of <paramref name="source"/> through <paramref name="transform"/>.</summary>
    /// <exception cref="ArgumentException">Inconsistent options, or fewer images than one global batch.</exception>
    public BatchLoader(IImageSource source, IBatchTransform<TBatch> transform, LoaderOptions options)
    {
        options.Validate();
        (this.source, this.transform, Options) = (source, transform, options);
        // The count first: a split's description may end in a clause of its own (a folder's train split
        // says where its test share went), so "DESCRIPTION has N images" read as one garbled sentence.
        if (BatchesPerEpoch == 0)
            throw new ArgumentException(
                $"{source.Count} images, fewer than one global batch of {GlobalBatchSize}: lower the batch size (the data: {source.Description}).");
    }

    /// <summary>The options this loader runs with.</summary>
    public LoaderOptions Options { get; }

    /// <summary>Images per global batch: batch size × world size.</summary>
    public int GlobalBatchSize => Options.BatchSize * Options.WorldSize;

    /// <summary>Batches each rank receives per epoch.</summary>
    public int BatchesPerEpoch => Options.DropLast
        ? source.Count / GlobalBatchSize
        : (source.Count + GlobalBatchSize - 1) / GlobalBatchSize;

    /// <summary>
    /// The batches of <paramref name="epoch"/> for this rank, from <paramref name="startBatch"/> on
    /// (a run resumed mid-epoch passes the number of batches it already took and continues exactly),
    /// up to <paramref name="endBatch"/> (exclusive; null: the epoch's end). A batch is the same
    /// whatever range it is taken in.
    /// </summary>
    public IEnumerable<TBatch> Epoch(int epoch, int startBatch = 0, int? endBatch = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        if (startBatch < 0 || startBatch > BatchesPerEpoch)
            throw new ArgumentOutOfRangeException(nameof(startBatch), $"Start batch {startBatch} is outside 0–{BatchesPerEpoch}.");
        int end = endBatch ?? BatchesPerEpoch;
        if (end < startBatch || end > BatchesPerEpoch)
            throw new ArgumentOutOfRangeException(nameof(endBatch), $"End batch {end} is outside {startBatch}–{BatchesPerEpoch}.");
        var order = Order(epoch);
        return OrderedPipeline.Run(startBatch, end, batch => Build(order, epoch, batch),
                                   Options.Workers, Options.EffectivePrefetch);
    }

    /// <summary>The source indices of <paramref name="epoch"/>'s order (all ranks share it).</summary>
    public int[] Order(int epoch)
    {
        var order = Enumerable.Range(0, source.Count).ToArray();
        if (!Options.Shuffle) return order;
        new SplitMix64((ulong)SplitMix64.Derive(Options.Seed, epoch)).Shuffle(order.AsSpan());
        return order;
    }

    /// <summary>The source indices this rank takes in global batch <paramref name="batch"/> of an epoch with <paramref name="order"/>.</summary>
    public ReadOnlySpan<int> Slice(int[] order, int batch)
    {
        int start = batch * GlobalBatchSize + Options.Rank * Options.BatchSize;
        return order.AsSpan(start, Math.Min(Options.BatchSize, order.Length - start));
    }

    /// <summary>
    /// The transform seed of global batch <paramref name="batch"/> of <paramref name="epoch"/>: the same
    /// on every rank (each rank's images are told apart by their position in the global batch).
    /// </summary>
    public long BatchSeed(int epoch, int batch) => SplitMix64.Derive(Options.Seed, epoch, batch);

    /// <summary>Position of this rank's first image in each global batch.</summary>
    public int FirstIndexInGlobalBatch => Options.Rank * Options.BatchSize;

    private TBatch Build(int[] order, int epoch, int batch)
    {
        var indices = Slice(order, batch);
        var images = new ImageSample[indices.Length];
        for (int i = 0; i < images.Length; i++) images[i] = source.Get(indices[i]);
        return transform.Apply(images, BatchSeed(epoch, batch), FirstIndexInGlobalBatch);
    }
}
