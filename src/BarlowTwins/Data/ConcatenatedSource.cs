namespace BarlowTwins.Data;

/// <summary>Several sources with the same channels and classes, read as one (e.g. train and test as <see cref="DataSplit.All"/>).</summary>
internal sealed class ConcatenatedSource : IImageSource
{
    private readonly IImageSource[] parts;
    private readonly int[] starts;

    public ConcatenatedSource(IImageSource[] parts, string name)
    {
        if (parts.Select(part => part.Channels).Distinct().Count() != 1)
            throw new ArgumentException("Concatenated sources must have the same channels.", nameof(parts));
        this.parts = parts;
        starts = new int[parts.Length + 1];
        for (int i = 0; i < parts.Length; i++) starts[i + 1] = starts[i] + parts[i].Count;
        Classes = parts[0].Classes;
        Description = $"{name} ({Count} images, {Classes.Count} classes)";
    }

    public int Count => starts[^1];

    public int Channels => parts[0].Channels;

    public IReadOnlyList<string> Classes { get; }

    public string Description { get; }

    public ImageSample Get(int index)
    {
        var (part, local) = Locate(index);
        return parts[part].Get(local);
    }

    public string? PathOf(int index)
    {
        var (part, local) = Locate(index);
        return parts[part].PathOf(local);
    }

    // The part holding image index, and the index inside it.
    private (int Part, int Local) Locate(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        int part = Array.BinarySearch(starts, index);
        part = part >= 0 ? part : ~part - 1;
        while (starts[part + 1] == index) part++; // skip empty parts ending exactly here
        return (part, index - starts[part]);
    }
}
