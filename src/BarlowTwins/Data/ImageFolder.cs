namespace BarlowTwins.Data;

/// <summary>
/// A folder of image files, one sub-folder per class (searched recursively), like torchvision's
/// ImageFolder; or a folder of images with no sub-folders, read as unlabelled. When the folder
/// holds train/ and test/ sub-folders, those are the splits (classes are the union of both, so
/// labels agree); otherwise <see cref="DataSplit.Test"/> is a fixed, hash-chosen
/// <see cref="ImageFolderOptions.TestFraction"/> of the images, <see cref="DataSplit.Train"/> the
/// rest, and <see cref="DataSplit.All"/> every image.
/// Files that cannot be read are left out and recorded in the <see cref="DataReport"/>; hidden
/// files (starting with '.') are ignored.
/// </summary>
public static class ImageFolder
{
    /// <summary>Scans <paramref name="root"/>, checks every file and returns the readable ones as a source.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">No readable image was found.</exception>
    public static IImageSource Open(string root, DataSplit split, ImageFolderOptions? options = null,
                                    DataReport? report = null, IProgress<ScanProgress>? progress = null)
    {
        options ??= new ImageFolderOptions();
        if (options.Channels is not (1 or 3))
            throw new ArgumentException($"An image folder gives 1 or 3 channels, not {options.Channels}.", nameof(options));
        if (!Directory.Exists(root))
            throw new DirectoryNotFoundException($"Image folder {root} does not exist.");
        report ??= new DataReport();
        var (classes, candidates, hashSplit) = FolderLayout.Find(root, split, options.TestFraction, report);
        var readable = Check(candidates, options, report, progress);
        string name = $"folder:{root} {split.ToString().ToLowerInvariant()}";
        if (readable.Count == 0)
            throw new InvalidDataException(
                $"{name}: no readable image among {candidates.Count} file(s)" + (report.SkippedCount > 0 ? $"; {report.Format()}" : "."));
        return new FolderSource(readable, classes, options.Channels, report, name, hashSplit ? ShareNote(split, options.TestFraction) : "");
    }

    // Without split folders a share of the files is the test split: a run on the train split must
    // say that it leaves them out, and how to read them too.
    private static string ShareNote(DataSplit split, double testFraction)
    {
        string share = $"{testFraction * 100:0.##} %";
        return split switch
        {
            DataSplit.Train => $"; the other {share} of the files (hash-chosen) are the test split, left out here: ?split=all reads them too",
            DataSplit.Test => $"; the hash-chosen {share} of the files held out from the train split",
            _ => "",
        };
    }

    /// <summary>Keeps the files that pass the check, in their original order; checks run in parallel.</summary>
    private static List<FolderSource.Entry> Check(IReadOnlyList<FolderSource.Entry> candidates, ImageFolderOptions options,
                                                   DataReport report, IProgress<ScanProgress>? progress)
    {
        var problems = new string?[candidates.Count];
        int done = 0;
        Parallel.For(0, candidates.Count, i =>
        {
            problems[i] = options.Check == FolderCheck.Full ? DecodeProblem(candidates[i].Path, options.Channels) : ImageDecoder.Probe(candidates[i].Path);
            int now = Interlocked.Increment(ref done);
            if (progress is not null && (now % 256 == 0 || now == candidates.Count)) progress.Report(new ScanProgress(now, candidates.Count));
        });
        var readable = new List<FolderSource.Entry>(candidates.Count);
        for (int i = 0; i < candidates.Count; i++)
        {
            if (problems[i] is null) readable.Add(candidates[i]);
            else report.Skip(candidates[i].Path, problems[i]!);
        }
        return readable;
    }

    private static string? DecodeProblem(string path, int channels) =>
        ImageDecoder.TryDecode(path, channels, ImageSample.Unlabelled, out var problem) is null ? problem : null;
}
