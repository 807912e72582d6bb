namespace BarlowTwins.Data;

/// <summary>
/// CIFAR-10 and CIFAR-100 in their binary batch format (cifar-10-batches-bin: data_batch_1..5.bin
/// and test_batch.bin, one label byte then 3072 pixel bytes per record; cifar-100-binary: train.bin
/// and test.bin, coarse and fine label bytes then 3072 pixel bytes). Pixels are stored as three
/// 32×32 planes (R, G, B) and are turned into height × width × channels once, at load.
/// CIFAR-100 uses the 100 fine labels.
/// </summary>
public static class CifarDataset
{
    private const int Side = 32, PlaneBytes = Side * Side, ImageBytes = 3 * PlaneBytes;

    /// <summary>CIFAR-10's class names, used when batches.meta.txt is missing.</summary>
    public static IReadOnlyList<string> Cifar10Classes { get; } =
        ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    /// <summary>Opens CIFAR-10 from <paramref name="folder"/> (cifar-10-batches-bin or the folder holding it).</summary>
    public static IImageSource OpenCifar10(string folder, DataSplit split)
    {
        folder = Inside(folder, "cifar-10-batches-bin", "test_batch.bin");
        string[] files = split switch
        {
            DataSplit.Train => [.. Enumerable.Range(1, 5).Select(i => $"data_batch_{i}.bin")],
            DataSplit.Test => ["test_batch.bin"],
            _ => [.. Enumerable.Range(1, 5).Select(i => $"data_batch_{i}.bin"), "test_batch.bin"],
        };
        var classes = ClassNames(Path.Combine(folder, "batches.meta.txt")) ?? Cifar10Classes;
        return Load(folder, files, labelBytes: 1, classes, $"cifar10 {SplitName(split)}");
    }

    /// <summary>Opens CIFAR-100 (fine labels) from <paramref name="folder"/> (cifar-100-binary or the folder holding it).</summary>
    public static IImageSource OpenCifar100(string folder, DataSplit split)
    {
        folder = Inside(folder, "cifar-100-binary", "test.bin");
        string[] files = split switch
        {
            DataSplit.Train => ["train.bin"],
            DataSplit.Test => ["test.bin"],
            _ => ["train.bin", "test.bin"],
        };
        var classes = ClassNames(Path.Combine(folder, "fine_label_names.txt"))
                      ?? [.. Enumerable.Range(0, 100).Select(label => label.ToString())];
        return Load(folder, files, labelBytes: 2, classes, $"cifar100 {SplitName(split)}");
    }

    private static string SplitName(DataSplit split) => split.ToString().ToLowerInvariant();

    /// <summary>The folder itself when it holds <paramref name="marker"/>, else its <paramref name="child"/> sub-folder.</summary>
    private static string Inside(string folder, string child, string marker)
    {
        if (File.Exists(Path.Combine(folder, marker))) return folder;
        var nested = Path.Combine(folder, child);
        return File.Exists(Path.Combine(nested, marker))
            ? nested
            : throw new FileNotFoundException($"No {marker} in {folder} or {nested}: is this the binary version of the dataset?");
    }

    private static IReadOnlyList<string>? ClassNames(string path) =>
        File.Exists(path)
            ? [.. File.ReadAllLines(path).Select(line => line.Trim()).Where(line => line.Length > 0)]
            : null;

    /// <summary>Reads the records of every file into one pixel array (HWC) and one label array; the last label byte is the label.</summary>
    private static InMemorySource Load(string folder, string[] files, int labelBytes, IReadOnlyList<string> classes, string name)
    {
        int recordBytes = labelBytes + ImageBytes;
        var paths = files.Select(file => Path.Combine(folder, file)).ToArray();
        long total = 0;
        foreach (var path in paths)
        {
            long length = new FileInfo(path).Length;
            if (length % recordBytes != 0)
                throw new InvalidDataException(
                    $"{path}: {length} bytes is not a whole number of {recordBytes}-byte records; the file is truncated or not {name.Split(' ')[0]}.");
            total += length / recordBytes;
        }
        var pixels = new byte[total * ImageBytes];
        var labels = new byte[total];
        var record = new byte[recordBytes];
        int image = 0;
        foreach (var path in paths)
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            while (stream.Position < stream.Length)
            {
                stream.ReadExactly(record);
                labels[image] = record[labelBytes - 1];
                PlanesToInterleaved(record.AsSpan(labelBytes), pixels.AsSpan(image * ImageBytes, ImageBytes));
                image++;
            }
        }
        return new InMemorySource(pixels, labels, Side, Side, channels: 3, classes, name);
    }

    private static void PlanesToInterleaved(ReadOnlySpan<byte> planes, Span<byte> interleaved)
    {
        for (int pixel = 0; pixel < PlaneBytes; pixel++)
            for (int channel = 0; channel < 3; channel++)
                interleaved[3 * pixel + channel] = planes[channel * PlaneBytes + pixel];
    }
}
