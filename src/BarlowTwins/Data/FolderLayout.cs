namespace BarlowTwins.Data;

/// <summary>
/// Where the images of an image folder are: which sub-folders are classes, which files belong to a
/// split. Folders that cannot be listed are recorded in the report and left out.
/// </summary>
internal static class FolderLayout
{
    /// <summary>The class names (sorted, ordinal) and the candidate files of <paramref name="split"/>, sorted by path.</summary>
    public static (IReadOnlyList<string> Classes, List<FolderSource.Entry> Files) Find(
        string root, DataSplit split, double testFraction, DataReport report)
    {
        string train = Path.Combine(root, "train"), test = Path.Combine(root, "test");
        if (Directory.Exists(train) && Directory.Exists(test))
        {
            string[] roots = split switch { DataSplit.Train => [train], DataSplit.Test => [test], _ => [train, test] };
            var classes = Subfolders(train, report).Union(Subfolders(test, report)).Order(StringComparer.Ordinal).ToList();
            return (classes, [.. roots.SelectMany(splitRoot => ClassFiles(splitRoot, classes, report))]);
        }
        var flatClasses = Subfolders(root, report).Order(StringComparer.Ordinal).ToList();
        var files = ClassFiles(root, flatClasses, report);
        if (split != DataSplit.All)
            files = [.. files.Where(file => IsTest(Path.GetRelativePath(root, file.Path), testFraction) == (split == DataSplit.Test))];
        return (flatClasses, files);
    }

    /// <summary>
    /// The files under each class folder of <paramref name="root"/> with their labels; with no class
    /// folders, the files directly in <paramref name="root"/>, unlabelled. Files beside class folders
    /// are reported, since they belong to no class.
    /// </summary>
    private static List<FolderSource.Entry> ClassFiles(string root, IReadOnlyList<string> classes, DataReport report)
    {
        if (classes.Count == 0)
            return [.. Files(root, recursive: false, report).Select(path => new FolderSource.Entry(path, ImageSample.Unlabelled))];
        foreach (var stray in Files(root, recursive: false, report))
            report.Skip(stray, "outside any class folder");
        var entries = new List<FolderSource.Entry>();
        for (int label = 0; label < classes.Count; label++)
        {
            var folder = Path.Combine(root, classes[label]);
            if (Directory.Exists(folder))
                entries.AddRange(Files(folder, recursive: true, report).Select(path => new FolderSource.Entry(path, label)));
        }
        return entries;
    }

    private static IEnumerable<string> Subfolders(string folder, DataReport report) =>
        List(folder, report, directories: true).Select(path => Path.GetFileName(path)!);

    /// <summary>
    /// Visible files, sorted by path; unreadable folders are reported, not thrown. Links to folders
    /// are followed, except a link back to a folder being walked (it would never end).
    /// </summary>
    private static IEnumerable<string> Files(string folder, bool recursive, DataReport report) =>
        Files(folder, recursive, report, [RealPath(folder)]);

    private static List<string> Files(string folder, bool recursive, DataReport report, HashSet<string> walking)
    {
        var found = List(folder, report, directories: false);
        if (recursive)
            foreach (var sub in List(folder, report, directories: true))
            {
                var real = RealPath(sub);
                if (!walking.Add(real))
                {
                    report.Skip(sub, "link back to a folder it is inside of");
                    continue;
                }
                found.AddRange(Files(sub, recursive: true, report, walking));
                walking.Remove(real);
            }
        found.Sort(StringComparer.Ordinal);
        return found;
    }

    private static string RealPath(string folder) =>
        new DirectoryInfo(folder).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(folder);

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
