namespace BarlowTwins.Data;

/// <summary>
/// A folder of MNIST-format IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte,
/// t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte; raw or .gz): MNIST, Fashion-MNIST, KMNIST, ….
/// </summary>
public static class IdxDataset
{
    /// <summary>Where Debian's dataset-fashion-mnist package installs the files.</summary>
    public const string FashionMnistFolder = "/usr/share/datasets/fashion-mnist";

    /// <summary>Fashion-MNIST's class names, by label.</summary>
    public static IReadOnlyList<string> FashionMnistClasses { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>Opens Fashion-MNIST from <see cref="FashionMnistFolder"/>.</summary>
    public static IImageSource OpenFashionMnist(DataSplit split)
    {
        if (!Directory.Exists(FashionMnistFolder))
            throw new DirectoryNotFoundException(
                $"Fashion-MNIST not found at {FashionMnistFolder}: install it with `apt-get install dataset-fashion-mnist`, or pass idx:DIR.");
        return Open(FashionMnistFolder, split, FashionMnistClasses, "fashion-mnist");
    }

    /// <summary>
    /// Opens the IDX files of <paramref name="split"/> in <paramref name="folder"/>. Classes are
    /// <paramref name="classes"/> when given, otherwise "0" … "9" (or up to the largest label).
    /// </summary>
    public static IImageSource Open(string folder, DataSplit split, IReadOnlyList<string>? classes = null, string? name = null)
    {
        name ??= $"idx:{folder}";
        if (split == DataSplit.All)
            return new ConcatenatedSource(
                [Open(folder, DataSplit.Train, classes, name), Open(folder, DataSplit.Test, classes, name)], $"{name} all");
        string prefix = split == DataSplit.Train ? "train" : "t10k";
        var images = IdxFile.Read(FindFile(folder, prefix, "images", "idx3"), rank: 3);
        var labels = IdxFile.Read(FindFile(folder, prefix, "labels", "idx1"), rank: 1);
        classes ??= DigitClasses(labels.Data);
        return new InMemorySource(images.Data, labels.Data, images.Shape[1], images.Shape[2], channels: 1,
                                  classes, $"{name} {split.ToString().ToLowerInvariant()}");
    }

    private static IReadOnlyList<string> DigitClasses(byte[] labels)
    {
        int count = Math.Max(10, labels.Length == 0 ? 0 : labels.Max() + 1);
        return [.. Enumerable.Range(0, count).Select(label => label.ToString())];
    }

    /// <summary>
    /// The one file whose name holds the split ("train"; "t10k" or "test"), the kind and the IDX
    /// rank, raw preferred over .gz: "train-images-idx3-ubyte", "emnist-letters-test-labels-idx1-ubyte.gz", ….
    /// </summary>
    private static string FindFile(string folder, string prefix, string kind, string idx)
    {
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"IDX folder {folder} does not exist.");
        string[] splitNames = prefix == "t10k" ? ["t10k", "test"] : [prefix];
        var datasets = Directory.EnumerateFiles(folder)
            .Where(path =>
            {
                var file = Path.GetFileName(path).ToLowerInvariant();
                return splitNames.Any(file.Contains) && file.Contains(kind) && file.Contains(idx);
            })
            .GroupBy(path => path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? path[..^3] : path)
            .OrderBy(group => group.Key, StringComparer.Ordinal)
            .ToList();
        return datasets.Count switch
        {
            1 => datasets[0].OrderBy(path => path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)).First(),
            0 => throw new FileNotFoundException(
                $"No {prefix}-{kind}-{idx}-ubyte[.gz] file in {folder}; an IDX folder holds train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte."),
            _ => throw new InvalidDataException(
                $"Several {prefix} {kind} files in {folder} ({string.Join(", ", datasets.Select(group => Path.GetFileName(group.Key)))}); point idx: at a folder holding one dataset."),
        };
    }
}
