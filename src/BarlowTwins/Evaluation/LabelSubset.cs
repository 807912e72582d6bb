using System.Globalization;
using System.Text.Json;
using BarlowTwins.Data;

namespace BarlowTwins.Evaluation;

/// <summary>
/// A fixed, class-balanced set of labelled training images for semi-supervised evaluation: the
/// same number of images from every class (round(fraction × N / classes), all of a class when it
/// has fewer), drawn from <see cref="Seed"/>. Written to a JSON file and reused from it, so every
/// run and the from-scratch baseline see exactly the same labels.
/// </summary>
/// <param name="Fraction">Share of the training split, e.g. 0.01.</param>
/// <param name="Seed">The seed the images were drawn with.</param>
/// <param name="SourceCount">Images in the split the indices refer to (a guard against using a file with another dataset).</param>
/// <param name="Indices">Chosen image indices, ascending.</param>
public sealed record LabelSubset(double Fraction, int Seed, int SourceCount, int[] Indices)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    /// <summary>Parses "1%", "10%" or a plain fraction such as "0.01".</summary>
    public static double ParseFraction(string text)
    {
        text = text.Trim();
        bool percent = text.EndsWith('%');
        if (!double.TryParse(percent ? text[..^1] : text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            throw new FormatException($"'{text}' is not a label fraction: use e.g. 1%, 10% or 0.05.");
        double fraction = percent ? value / 100 : value;
        return fraction is > 0 and <= 1 ? fraction
            : throw new FormatException($"Label fraction {text} must lie in (0, 100 %].");
    }

    /// <summary>Chooses the subset from per-image <paramref name="labels"/>.</summary>
    public static LabelSubset Select(IReadOnlyList<int> labels, double fraction, int seed)
    {
        if (fraction is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "The fraction must lie in (0, 1].");
        var byClass = Enumerable.Range(0, labels.Count).Where(i => labels[i] >= 0).GroupBy(i => labels[i]).OrderBy(g => g.Key).ToArray();
        if (byClass.Length == 0) throw new ArgumentException("The source has no labelled images.");
        int perClass = Math.Max(1, (int)Math.Round(fraction * labels.Count / byClass.Length, MidpointRounding.AwayFromZero));
        var random = new Random(seed);
        var chosen = new List<int>();
        foreach (var group in byClass)
        {
            var members = group.ToArray();
            random.Shuffle(members);
            chosen.AddRange(members.Take(perClass));
        }
        chosen.Sort();
        return new LabelSubset(fraction, seed, labels.Count, chosen.ToArray());
    }

    /// <summary>
    /// Reads the subset from <paramref name="path"/> if the file exists (checking it was made for
    /// this fraction, seed and split size), else chooses it from <paramref name="source"/> and writes it there.
    /// </summary>
    public static LabelSubset LoadOrCreate(string path, IImageSource source, double fraction, int seed)
    {
        if (File.Exists(path))
        {
            var stored = JsonSerializer.Deserialize<LabelSubset>(File.ReadAllText(path), Json)
                         ?? throw new InvalidDataException($"{path} holds no label subset.");
            if (Math.Abs(stored.Fraction - fraction) > 1e-12 || stored.Seed != seed || stored.SourceCount != source.Count)
                throw new InvalidDataException(
                    $"{path} was made for fraction {stored.Fraction}, seed {stored.Seed}, {stored.SourceCount} images; " +
                    $"this run asks for {fraction}, seed {seed}, {source.Count} images. Delete the file or point to another.");
            return stored;
        }
        var labels = new int[source.Count];
        Parallel.For(0, source.Count, i => labels[i] = source.Get(i).Label);
        var subset = Select(labels, fraction, seed);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, JsonSerializer.Serialize(subset, Json));
        return subset;
    }

    /// <summary>The default file name, e.g. <c>labels-1pct-seed0.json</c>.</summary>
    public static string FileName(double fraction, int seed) => $"labels-{Tag(fraction)}-seed{seed}.json";

    /// <summary>The fraction as a name part, e.g. <c>1pct</c>.</summary>
    public static string Tag(double fraction) => (fraction * 100).ToString("0.###", CultureInfo.InvariantCulture) + "pct";

    /// <summary>The chosen images of <paramref name="source"/> as a source of their own.</summary>
    public IImageSource Apply(IImageSource source) =>
        source.Count == SourceCount ? new IndexedSource(source, Indices, $"{Indices.Length}-image labelled subset")
        : throw new ArgumentException($"This subset indexes {SourceCount} images but '{source.Description}' has {source.Count}.");
}
