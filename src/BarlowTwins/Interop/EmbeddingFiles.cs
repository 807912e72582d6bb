using System.Text;
using static TorchSharp.torch;

namespace BarlowTwins.Interop;

/// <summary>One embedded image: its row, where it came from, and its label.</summary>
/// <param name="Index">Row in the files (0-based), the image's index in the embedded split.</param>
/// <param name="Path">The image file, or null for sources not made of files.</param>
/// <param name="Label">Label index (-1 when unlabelled).</param>
/// <param name="Class">Class name, or empty.</param>
public sealed record EmbeddingRow(int Index, string? Path, long Label, string Class)
{
    /// <summary>The file when known, else "#index".</summary>
    public string Name => Path ?? $"#{Index}";
}

/// <summary>
/// The files <c>barlow embed</c> writes for one output stem: STEM.npy (N × D float32),
/// STEM.labels.npy (N int64), STEM.csv (index, path, label, class, f0 … fD−1) and, for sources
/// made of files, STEM.paths.txt (one path per row); with --plot, STEM.png (a 2-D map).
/// </summary>
/// <param name="Features">STEM.npy.</param>
/// <param name="Labels">STEM.labels.npy.</param>
/// <param name="Csv">STEM.csv.</param>
/// <param name="Paths">STEM.paths.txt.</param>
/// <param name="Map">STEM.png.</param>
public sealed record EmbeddingFiles(string Features, string Labels, string Csv, string Paths, string Map)
{
    /// <summary>STEM.skipped.txt: the files the data left out, when there are more than the console shows.</summary>
    public string Skipped => System.IO.Path.ChangeExtension(Features, ".skipped.txt");

    /// <summary>The CSV's leading columns, before the features.</summary>
    public static readonly string[] CsvColumns = ["index", "path", "label", "class"];

    private static readonly string[] Extensions = [".labels.npy", ".paths.txt", ".npy", ".csv", ".png"];

    /// <summary>The files of the stem <paramref name="path"/> names (STEM, or any of its files).</summary>
    public static EmbeddingFiles Of(string path)
    {
        var stem = Extensions.FirstOrDefault(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase)) is { } extension
            ? path[..^extension.Length] : path;
        return new EmbeddingFiles(stem + ".npy", stem + ".labels.npy", stem + ".csv", stem + ".paths.txt", stem + ".png");
    }

    /// <summary>Reads the features (N × D float32 tensor, owned by the caller) and the rows.</summary>
    public (Tensor Features, IReadOnlyList<EmbeddingRow> Rows) Load()
    {
        if (!File.Exists(Features))
            throw new FileNotFoundException($"No embeddings at {Features}: write them with `barlow embed --out STEM`.", Features);
        var features = Npy.Load(Features);
        try
        {
            var rows = ReadRows();
            if (rows.Count != features.shape[0])
                throw new InvalidDataException($"{Csv} has {rows.Count} rows but {Features} {features.shape[0]}: they are not from one `barlow embed`.");
            return (features, rows);
        }
        catch
        {
            features.Dispose();
            throw;
        }
    }

    // The CSV's leading columns, row by row; only the first four fields of each line are parsed.
    private List<EmbeddingRow> ReadRows()
    {
        if (!File.Exists(Csv)) throw new FileNotFoundException($"{Csv} is missing: embeddings need their CSV beside them.", Csv);
        using var reader = new StreamReader(Csv, Encoding.UTF8);
        var header = LeadingFields(reader.ReadLine() ?? "", CsvColumns.Length);
        if (!header.SequenceEqual(CsvColumns))
            throw new InvalidDataException($"{Csv} starts '{string.Join(',', header)}', not '{string.Join(',', CsvColumns)}': written by an older `barlow embed`? Embed again.");
        var rows = new List<EmbeddingRow>();
        while (reader.ReadLine() is { } line)
        {
            var f = LeadingFields(line, CsvColumns.Length);
            rows.Add(new EmbeddingRow(int.Parse(f[0], System.Globalization.CultureInfo.InvariantCulture), f[1].Length == 0 ? null : f[1],
                                      long.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture), f[3]));
        }
        return rows;
    }

    // The first count fields of a CSV line (RFC 4180 quoting: "a ""b"", c" is one field).
    private static string[] LeadingFields(string line, int count)
    {
        var fields = new string[count];
        var field = new StringBuilder();
        int i = 0;
        for (int n = 0; n < count; n++)
        {
            field.Clear();
            if (i < line.Length && line[i] == '"')
            {
                for (i++; i < line.Length; i++)
                {
                    if (line[i] != '"') field.Append(line[i]);
                    else if (i + 1 < line.Length && line[i + 1] == '"') field.Append(line[++i]);
                    else { i++; break; }
                }
            }
            else
                for (; i < line.Length && line[i] != ','; i++) field.Append(line[i]);
            fields[n] = field.ToString();
            i++; // the comma
        }
        return fields;
    }
}
