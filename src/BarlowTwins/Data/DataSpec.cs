using System.Globalization;

namespace BarlowTwins.Data;

/// <summary>
/// Names a dataset on the command line: <c>KIND[:PATH][?KEY=VALUE&amp;…]</c>.
/// <list type="bullet">
/// <item><c>fashion-mnist</c>: Debian's dataset-fashion-mnist (60 000 train / 10 000 test, 28×28 grey).</item>
/// <item><c>idx:DIR</c>: MNIST-format IDX files, raw or .gz.</item>
/// <item><c>cifar10:DIR</c>, <c>cifar100:DIR</c>: the binary batch format (CIFAR-100 with its 100 fine labels).</item>
/// <item><c>folder:DIR</c>: one sub-folder per class; options <c>channels=1|3</c> (default 3),
/// <c>check=header|full</c> (default header), <c>test=FRACTION</c> (default 0.1, used without train/ and test/ (or val/) sub-folders).</item>
/// <item><c>synthetic</c>: procedural shapes and textures; options <c>count</c> (train images, default 5000),
/// <c>test-count</c> (default count / 5), <c>size</c> (default 32), <c>channels</c> (default 3), <c>seed</c> (default 0).</item>
/// </list>
/// Every kind also takes <c>train=N</c> (a fixed random N of the training images) and <c>split=all</c>
/// (pre-training reads the test images too: <see cref="PretrainingSplit"/>). A path may not contain '?'.
/// </summary>
/// <param name="Kind">The source kind, lower case.</param>
/// <param name="Location">The path after the colon, or null.</param>
/// <param name="Options">The KEY=VALUE options.</param>
public sealed record DataSpec(string Kind, string? Location, IReadOnlyDictionary<string, string> Options)
{
    private static readonly Dictionary<string, (bool NeedsPath, string[] Options)> Kinds = new()
    {
        ["fashion-mnist"] = (false, []),
        ["idx"] = (true, []),
        ["cifar10"] = (true, []),
        ["cifar100"] = (true, []),
        ["folder"] = (true, ["channels", "check", "test"]),
        ["synthetic"] = (false, ["count", "test-count", "size", "channels", "seed"]),
    };

    // Options every kind takes: train=N keeps a fixed random N of the training images (quick
    // experiments and ablations in miniature on real data); split=all makes pre-training read every
    // image, the test split's too (self-supervised learning needs no held-out labels).
    private static readonly string[] CommonOptions = ["train", "split"];

    // Options whose value is a whole number, checked when the spec is parsed.
    private static readonly string[] WholeNumbers = ["train", "channels", "count", "test-count", "size", "seed"];

    /// <summary>The kinds <see cref="Parse"/> accepts, for help texts.</summary>
    public const string Help = "fashion-mnist | idx:DIR | cifar10:DIR | cifar100:DIR | folder:DIR[?channels=1|3&check=header|full&test=0.1] | synthetic[?count=N&size=S&channels=C&seed=K]; " +
                               "any of them ?train=N: a fixed random N of the training images, ?split=all: pre-training reads the test images too";

    /// <summary>Reads a spec such as <c>folder:/data/pets?channels=1</c>.</summary>
    /// <exception cref="FormatException">Unknown kind, missing path or unknown option.</exception>
    public static DataSpec Parse(string text)
    {
        var (head, query) = text.IndexOf('?') is var q and >= 0 ? (text[..q], text[(q + 1)..]) : (text, "");
        var (kind, location) = head.IndexOf(':') is var c and >= 0 ? (head[..c], head[(c + 1)..]) : (head, null);
        kind = kind.Trim().ToLowerInvariant();
        if (!Kinds.TryGetValue(kind, out var rules))
            throw new FormatException($"Unknown data kind '{kind}' in '{text}'; use {Help}.");
        if (rules.NeedsPath && string.IsNullOrWhiteSpace(location))
            throw new FormatException($"'{text}': {kind} needs a folder, as in {kind}:DIR.");
        if (!rules.NeedsPath && location is not null)
            throw new FormatException($"'{text}': {kind} takes no path.");
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            string[] allowed = [.. rules.Options, .. CommonOptions];
            if (parts.Length != 2 || !allowed.Contains(parts[0]))
                throw new FormatException($"'{text}': '{pair}' is not an option of {kind} (options: {string.Join(", ", allowed)}).");
            options[parts[0]] = parts[1];
        }
        var spec = new DataSpec(kind, location, options);
        spec.CheckValues();
        return spec;
    }

    /// <summary>
    /// The split pre-training reads: the train split, or with <c>split=all</c> every image (the
    /// evaluations always measure on the test split, so they keep train and test apart).
    /// </summary>
    public DataSplit PretrainingSplit => Options.GetValueOrDefault("split", "train") == "all" ? DataSplit.All : DataSplit.Train;

    // Every value is read once here, so a bad one is refused with its key before anything opens.
    private void CheckValues()
    {
        foreach (var key in WholeNumbers.Where(Options.ContainsKey)) Number(key, 0);
        if (Options.TryGetValue("split", out var split) && split is not ("train" or "all"))
            throw new FormatException($"split={split}: use split=train (the default) or split=all (pre-training reads every image).");
        if (Kind == "folder") FolderOptions();
    }

    /// <summary>
    /// The augmentation preset that suits this data when none is given: fashion-mnist for IDX
    /// data (28 px grey), cifar for CIFAR and synthetic images (32 px colour), imagenet for folders.
    /// </summary>
    public string DefaultPreset => Kind switch
    {
        "fashion-mnist" or "idx" => "fashion-mnist",
        "cifar10" or "cifar100" or "synthetic" => "cifar",
        _ => "imagenet",
    };

    /// <summary>
    /// Opens <paramref name="split"/>. In-memory formats (IDX, CIFAR) are read now; folders are
    /// scanned and checked now (progress reported) and decoded on each Get.
    /// </summary>
    /// <param name="split">Which images.</param>
    /// <param name="report">Collects files and folders skipped now and later; print it once.</param>
    /// <param name="progress">Told how the file check goes (folders only).</param>
    public IImageSource Open(DataSplit split, DataReport? report = null, IProgress<ScanProgress>? progress = null)
    {
        var source = OpenWhole(split, report, progress);
        if (split == DataSplit.Test || !Options.ContainsKey("train")) return source;
        int count = Number("train", 0);
        if (count < 1 || count > source.Count)
            throw new FormatException($"train={count}: choose between 1 and the {source.Count} training images of {Kind}.");
        return IndexedSource.Sample(source, count);
    }

    private IImageSource OpenWhole(DataSplit split, DataReport? report, IProgress<ScanProgress>? progress) => Kind switch
    {
        "fashion-mnist" => IdxDataset.OpenFashionMnist(split),
        "idx" => IdxDataset.Open(Location!, split),
        "cifar10" => CifarDataset.OpenCifar10(Location!, split),
        "cifar100" => CifarDataset.OpenCifar100(Location!, split),
        "folder" => ImageFolder.Open(Location!, split, FolderOptions(), report, progress),
        "synthetic" => OpenSynthetic(split),
        _ => throw new InvalidOperationException($"Data kind {Kind} has no opener."),
    };

    private ImageFolderOptions FolderOptions()
    {
        var defaults = new ImageFolderOptions();
        return new ImageFolderOptions(
            Channels: Number("channels", defaults.Channels),
            Check: Options.GetValueOrDefault("check", "header") switch
            {
                "header" => FolderCheck.Header,
                "full" => FolderCheck.Full,
                var other => throw new FormatException($"check={other}: use check=header or check=full."),
            },
            TestFraction: Options.TryGetValue("test", out var text) ? Fraction("test", text) : defaults.TestFraction);
    }

    private double Fraction(string key, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value is >= 0 and < 1 ? value
        : throw new FormatException($"{Kind} option {key}={text} is not a fraction from 0 up to 1 (e.g. {key}=0.1).");

    private IImageSource OpenSynthetic(DataSplit split)
    {
        int train = Number("count", 5000), test = Number("test-count", Math.Max(1, train / 5));
        int size = Number("size", 32), channels = Number("channels", 3);
        long seed = Number("seed", 0);
        // The test images come from a different stream than the train images, never the same pictures.
        SyntheticSource Part(DataSplit part) => part == DataSplit.Train
            ? new SyntheticSource(train, size, channels, SplitMix64.Derive(seed, 0), "synthetic train")
            : new SyntheticSource(test, size, channels, SplitMix64.Derive(seed, 1), "synthetic test");
        return split == DataSplit.All
            ? new ConcatenatedSource([Part(DataSplit.Train), Part(DataSplit.Test)], "synthetic all")
            : Part(split);
    }

    private int Number(string key, int fallback) =>
        !Options.TryGetValue(key, out var text) ? fallback
        : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value
        : throw new FormatException($"{Kind} option {key}={text} is not a whole number.");

    /// <inheritdoc />
    public override string ToString() =>
        Kind + (Location is null ? "" : ":" + Location) + (Options.Count == 0 ? "" : "?" + string.Join("&", Options.Select(o => $"{o.Key}={o.Value}")));
}
