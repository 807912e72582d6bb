namespace BarlowTwins.Data;

/// <summary>Some images of another source, by index: a labelled subset, a random sample, or the first few for a quick run.</summary>
internal sealed class IndexedSource(IImageSource inner, IReadOnlyList<int> indices, string what) : IImageSource
{
    public int Count => indices.Count;
    public int Channels => inner.Channels;
    public IReadOnlyList<string> Classes => inner.Classes;
    public string Description => $"{inner.Description}, {what}";
    public ImageSample Get(int index) => inner.Get(indices[index]);
    public string? PathOf(int index) => inner.PathOf(indices[index]);

    /// <summary>The first <paramref name="count"/> images of <paramref name="source"/> (all of them if it has fewer).</summary>
    public static IImageSource First(IImageSource source, int count) =>
        source.Count <= count ? source : new IndexedSource(source, Enumerable.Range(0, count).ToArray(), $"first {count}");

    /// <summary>
    /// <paramref name="count"/> images of <paramref name="source"/> drawn without replacement by a
    /// fixed generator (the same sample on every run and machine), kept in source order.
    /// </summary>
    public static IImageSource Sample(IImageSource source, int count)
    {
        var order = Enumerable.Range(0, source.Count).ToArray();
        new SplitMix64((ulong)SplitMix64.Derive(count, source.Count)).Shuffle(order.AsSpan());
        var chosen = order[..count];
        Array.Sort(chosen);
        return new IndexedSource(source, chosen, $"random {count}");
    }
}
