namespace BarlowTwins.Data;

/// <summary>
/// Where the images of an image folder are: which sub-folders are classes, which files belong to a
/// split. Folders that cannot be listed are recorded in the report and left out.
/// </summary>
internal static class FolderLayout
{
    /// <summary>
    /// The class names (sorted, ordinal) and the candidate files of <paramref name="split"/>, sorted by
    /// path, and whether the test split is a hash-chosen share (no split folders).
    /// </summary>
    /// <exception cref="InvalidDataException">The folder has a split folder for one split but not the one asked for.</exception>
    public static (IReadOnlyList<string> Classes, List<FolderSource.Entry> Files, bool HashSplit) Find(
        string root, DataSplit split, double testFraction, DataReport report)
    {
        var (train, test) = SplitFolders(root);
        if (train is not null || test is not null)
        {
            string[] roots = split switch
            {
                DataSplit.Train => [train ?? throw MissingSplit(root, "train/", "a train/")],
                DataSplit.Test => [test ?? throw MissingSplit(root, "test/ or val/", "a test/ (or val/)")],
                _ => [.. new[] { train, test }.OfType<string>()],
            };
            var classes = new[] { train, test }.OfType<string>().SelectMany(folder => Subfolders(folder, report))
                                               .Distinct().Order(StringComparer.Ordinal).ToList();
            return (classes, [.. roots.SelectMany(splitRoot => ClassFiles(splitRoot, classes, report, root))], false);
        }
        var flatClasses = Subfolders(root, report).Order(StringComparer.Ordinal).ToList();
        var files = ClassFiles(root, flatClasses, report, root);
        if (split != DataSplit.All)
            files = [.. files.Where(file => IsTest(Path.GetRelativePath(root, file.Path), testFraction) == (split == DataSplit.Test))];
        return (flatClasses, files, true);
    }

    // train/ and test/ (or val/, ImageNet's name for it): a folder with one of them alone is still
    // split, not a dataset with a class called "train" (which made k-NN score 100 %).
    private static (string? Train, string? Test) SplitFolders(string root)
    {
        string? Existing(string name) => Path.Combine(root, name) is var path && Directory.Exists(path) ? path : null;
        return (Existing("train"), Existing("test") ?? Existing("val"));
    }

    private static InvalidDataException MissingSplit(string root, string missing, string add) =>
        new($"folder:{root} has split folders but no {missing}: that split has no images; add {add} folder, " +
            "or point at one split folder alone (its test split is then a hash-chosen share).");

    /// <summary>
    /// The files under each class folder of <paramref name="root"/> with their labels; with no class
    /// folders, the files directly in <paramref name="root"/>, unlabelled. Files beside class folders
    /// are reported, since they belong to no class.
    /// </summary>
    private static List<FolderSource.Entry> ClassFiles(string root, IReadOnlyList<string> classes, DataReport report, string dataRoot)
    {
        if (classes.Count == 0)
            return [.. Files(root, recursive: false, report, dataRoot).Select(path => new FolderSource.Entry(path, ImageSample.Unlabelled))];
        foreach (var stray in Files(root, recursive: false, report, dataRoot))
            report.Skip(stray, "outside any class folder");
        var entries = new List<FolderSource.Entry>();
        for (int label = 0; label < classes.Count; label++)
        {
            var folder = Path.Combine(root, classes[label]);
            if (!Directory.Exists(folder)) continue; // a class of the other split only
            var files = Files(folder, recursive: true, report, dataRoot);
            if (files.Count == 0) report.Skip(folder, "empty class folder (no image files): its class has no images here");
            entries.AddRange(files.Select(path => new FolderSource.Entry(path, label)));
        }
        return entries;
    }

    private static IEnumerable<string> Subfolders(string folder, DataReport report) =>
        List(folder, report, directories: true).Select(path => Path.GetFileName(path)!);

    /// <summary>
    /// Visible files, sorted by path; unreadable folders are reported, not thrown. Links to folders
    /// are followed, except a link to a folder being walked or to the dataset's root or a folder
    /// above it (it would never end, or read other classes' images again): folders are told apart by
    /// <see cref="FolderIdentity"/>, which sees through links.
    /// </summary>
    private static List<string> Files(string folder, bool recursive, DataReport report, string dataRoot)
    {
        var walking = Ancestors(dataRoot).Select(FolderIdentity.Of).ToHashSet();
        walking.Add(FolderIdentity.Of(folder));
        return Files(folder, recursive, report, walking);
    }

    private static IEnumerable<string> Ancestors(string folder)
    {
        for (var current = new DirectoryInfo(Path.GetFullPath(folder)); current is not null; current = current.Parent)
            yield return current.FullName;
    }

    private static List<string> Files(string folder, bool recursive, DataReport report, HashSet<string> walking)
    {
        var found = List(folder, report, directories: false);
        if (recursive)
            foreach (var sub in List(folder, report, directories: true))
            {
                var identity = FolderIdentity.Of(sub);
                if (!walking.Add(identity))
                {
                    report.Skip(sub, "link back to a folder it is inside of (a loop)");
                    continue;
                }
                found.AddRange(Files(sub, recursive: true, report, walking));
                walking.Remove(identity);
            }
        found.Sort(StringComparer.Ordinal);
        return found;
    }

    private static List<string> List(string folder, DataReport report, bool directories)
    {
        try
        {
            var entries = directories ? Directory.EnumerateDirectories(folder) : Directory.EnumerateFiles(folder);
            return [.. entries.Where(path => !Path.GetFileName(path).StartsWith('.')).Order(StringComparer.Ordinal)];
        }
        catch (Exception error) when (error is UnauthorizedAccessException or IOException)
        {
            report.Skip(folder, $"folder cannot be read ({error.Message})");
            return [];
        }
    }

    /// <summary>Whether a file falls in the held-out share: FNV-1a of its relative path, mapped to [0, 1).</summary>
    internal static bool IsTest(string relativePath, double testFraction)
    {
        ulong hash = 14695981039346656037UL;
        foreach (char c in relativePath.Replace('\\', '/'))
            hash = (hash ^ c) * 1099511628211UL;
        return (hash >> 11) * (1.0 / (1UL << 53)) < testFraction;
    }
}
