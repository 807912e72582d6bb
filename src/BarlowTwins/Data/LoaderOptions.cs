namespace BarlowTwins.Data;

/// <summary>How a <see cref="BatchLoader{TBatch}"/> cuts a source into batches.</summary>
/// <param name="BatchSize">Images per batch on this rank (the global batch is BatchSize × WorldSize).</param>
/// <param name="Seed">Seeds the shuffle of every epoch and every batch's transform.</param>
/// <param name="Shuffle">Shuffle each epoch (training) or keep the source order (evaluation).</param>
/// <param name="DropLast">Leave out the last, incomplete batch; required with more than one rank, so every rank takes the same equal steps.</param>
/// <param name="Workers">Threads building batches; 0 builds them on the consumer's thread.</param>
/// <param name="Prefetch">Most batches built or being built ahead of the consumer; 0 means 2 × Workers.</param>
/// <param name="Rank">This process's index among <paramref name="WorldSize"/> data-parallel processes.</param>
/// <param name="WorldSize">Number of data-parallel processes sharing each global batch.</param>
public sealed record LoaderOptions(
    int BatchSize,
    long Seed = 0,
    bool Shuffle = true,
    bool DropLast = true,
    int Workers = 1,
    int Prefetch = 0,
    int Rank = 0,
    int WorldSize = 1)
{
    /// <summary>The prefetch depth in effect (at least 1).</summary>
    public int EffectivePrefetch => Prefetch > 0 ? Prefetch : Math.Max(1, 2 * Workers);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first inconsistent option.</summary>
    public void Validate()
    {
        if (BatchSize < 1) throw new ArgumentException($"Batch size must be at least 1, not {BatchSize}.");
        if (Workers < 0) throw new ArgumentException($"Workers must be 0 or more, not {Workers}.");
        if (Prefetch < 0) throw new ArgumentException($"Prefetch must be 0 (automatic) or more, not {Prefetch}.");
        if (WorldSize < 1 || Rank < 0 || Rank >= WorldSize)
            throw new ArgumentException($"Rank {Rank} of world size {WorldSize}: need 0 ≤ rank < world size.");
        if (WorldSize > 1 && !DropLast)
            throw new ArgumentException("With more than one rank the last incomplete batch must be dropped (DropLast), so every rank takes the same steps.");
    }
}
