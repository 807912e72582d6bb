namespace BarlowTwins.Data;

/// <summary>A file or folder a source could not read and left out, and why.</summary>
/// <param name="Path">The file or folder.</param>
/// <param name="Reason">What was wrong with it, in a few words.</param>
public sealed record SkippedItem(string Path, string Reason);

/// <summary>
/// What a source skipped while it opened or read its data: bad files are counted here instead of
/// ending the run, so a command can print them once. Safe to add to from several threads; each
/// path is recorded once, however often it fails.
/// </summary>
public sealed class DataReport
{
    private readonly Lock gate = new();
    private readonly List<SkippedItem> skipped = [];
    private readonly HashSet<string> paths = new(StringComparer.Ordinal);

    /// <summary>Number of distinct files and folders skipped so far.</summary>
    public int SkippedCount
    {
        get { lock (gate) return skipped.Count; }
    }

    /// <summary>The skipped files and folders, in the order they were first reported.</summary>
    public IReadOnlyList<SkippedItem> Skipped
    {
        get { lock (gate) return [.. skipped]; }
    }

    /// <summary>Records that <paramref name="path"/> was skipped; later reports of the same path are ignored.</summary>
    /// <returns>True the first time the path is reported.</returns>
    public bool Skip(string path, string reason)
    {
        lock (gate)
        {
            if (!paths.Add(path)) return false;
            skipped.Add(new SkippedItem(path, reason));
            return true;
        }
    }

    /// <summary>Skipped items a <see cref="Summary"/> lists; the rest are counted, and written to a file by <see cref="Publish"/>.</summary>
    public const int ShownItems = 10;

    /// <summary>True when <see cref="Summary"/> leaves items out, so that <see cref="Publish"/> writes the whole list.</summary>
    public bool IsLong => SkippedCount > ShownItems;

    /// <summary>
    /// The tally and the first <see cref="ShownItems"/> items, then how many more and
    /// <paramref name="wholeList"/>, where all of them are; an empty string when nothing was skipped.
    /// </summary>
    public string Summary(string wholeList) => Text(Skipped, ShownItems, wholeList);

    /// <summary>
    /// What a command tells of the skipped items, once: when the <see cref="Summary"/> leaves some
    /// out (<see cref="IsLong"/>), writes every one to the file <paramref name="wholeList"/>, one
    /// "path: reason" a line, making its folder. Call it where the command may write, after the
    /// data was read, so that the file the summary names exists and holds every item.
    /// </summary>
    /// <returns>The <see cref="Summary"/> to print; an empty string when nothing was skipped.</returns>
    public string Publish(string wholeList)
    {
        var items = Skipped;
        if (items.Count > ShownItems)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(wholeList))!);
            File.WriteAllLines(wholeList, items.Select(Line));
        }
        return Text(items, ShownItems, wholeList);
    }

    /// <summary>
    /// A count and one line per skipped item, or an empty string when nothing was skipped.
    /// <paramref name="from"/> leaves out the items already printed (a long run prints the new
    /// ones after each epoch: pass the <see cref="SkippedCount"/> it printed up to).
    /// </summary>
    public string Format(int from = 0) => Text([.. Skipped.Skip(from)], int.MaxValue, wholeList: null);

    // The tally, then the first `shown` items one a line; the rest counted, with where the whole list is.
    private static string Text(IReadOnlyList<SkippedItem> items, int shown, string? wholeList)
    {
        if (items.Count == 0) return "";
        var lines = items.Take(shown).Select(item => "  " + Line(item)).ToList();
        if (items.Count > shown) lines.Add($"  … and {items.Count - shown} more: all of them in {wholeList}");
        return $"skipped {items.Count} unreadable file(s) or folder(s):{Environment.NewLine}" + string.Join(Environment.NewLine, lines);
    }

    private static string Line(SkippedItem item) => $"{item.Path}: {item.Reason}";
}
