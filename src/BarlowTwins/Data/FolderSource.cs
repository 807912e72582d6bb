namespace BarlowTwins.Data;

/// <summary>
/// Images decoded from their files on every <see cref="Get"/> (thread-safe; nothing is cached).
/// A file that passed the check at open but fails to decode later (truncated pixel data, a file
/// changed on disk) does not end the run: it is reported once and the next readable image in index
/// order is returned instead, with its own label, so the result still depends only on the index.
/// </summary>
internal sealed class FolderSource : IImageSource
{
    /// <summary>One image file and its label.</summary>
    public sealed record Entry(string Path, int Label);

    private readonly IReadOnlyList<Entry> entries;
    private readonly bool[] broken;
    private readonly DataReport report;

    // note: said after the count in the description (how the split was chosen), or empty.
    public FolderSource(IReadOnlyList<Entry> entries, IReadOnlyList<string> classes, int channels, DataReport report, string name, string note = "")
    {
        (this.entries, this.report) = (entries, report);
        broken = new bool[entries.Count];
        Classes = classes;
        Channels = channels;
        Description = $"{name} ({Count} images, {(classes.Count == 0 ? "unlabelled" : $"{classes.Count} classes")}){note}";
    }

    public int Count => entries.Count;

    public int Channels { get; }

    public IReadOnlyList<string> Classes { get; }

    public string Description { get; }

    /// <summary>The file behind <paramref name="index"/>.</summary>
    public string PathOf(int index) => entries[index].Path;

    public ImageSample Get(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        for (int tried = 0; tried < Count; tried++)
        {
            int candidate = (index + tried) % Count;
            if (Volatile.Read(ref broken[candidate])) continue;
            var entry = entries[candidate];
            var sample = ImageDecoder.TryDecode(entry.Path, Channels, entry.Label, out var problem);
            if (sample is not null) return sample;
            Volatile.Write(ref broken[candidate], true);
            report.Skip(entry.Path, $"{problem} (found while reading; replaced by the next readable image)");
        }
        throw new InvalidDataException($"{Description}: no file can be decoded any more; {report.Format()}");
    }
}
