using System.Globalization;
using BarlowTwins.Interop;

namespace BarlowTwins.Evaluation;

/// <summary>What <c>barlow neighbours</c> and <c>barlow duplicates</c> print, from the files <c>barlow embed</c> wrote.</summary>
public static class EmbeddingQueries
{
    /// <summary>
    /// The row <paramref name="query"/> names: a row index, or an embedded file — its full path, or a
    /// path relative to the current folder, or a unique end of one (e.g. "china/3.jpg").
    /// </summary>
    public static int Resolve(IReadOnlyList<EmbeddingRow> rows, string query)
    {
        if (int.TryParse(query, NumberStyles.None, CultureInfo.InvariantCulture, out int index))
            return index < rows.Count ? index : throw new ArgumentException($"--query {query}: there are {rows.Count} rows, numbered from 0.");
        var full = Path.GetFullPath(query);
        var exact = rows.FirstOrDefault(r => r.Path is { } p && (p == query || Path.GetFullPath(p) == full));
        if (exact is not null) return exact.Index;
        var ending = rows.Where(r => r.Path is { } p && p.EndsWith(Path.DirectorySeparatorChar + query.TrimStart(Path.DirectorySeparatorChar), StringComparison.Ordinal))
                         .Take(3).ToList();
        return ending.Count switch
        {
            1 => ending[0].Index,
            0 when rows.All(r => r.Path is null) => throw new ArgumentException($"--query {query}: these embeddings have no file paths (not from a folder); pass a row index."),
            0 => throw new ArgumentException($"--query {query}: not among the {rows.Count} embedded files; pass a row index or a path from the .paths.txt."),
            _ => throw new ArgumentException($"--query {query}: several embedded files end so ({ending[0].Path}, {ending[1].Path}, …); give more of the path."),
        };
    }

    /// <summary>Prints the <paramref name="k"/> nearest rows to <paramref name="query"/> (see <see cref="Resolve"/>).</summary>
    public static void PrintNeighbours(string embeddings, string query, int k, TextWriter output)
    {
        if (k < 1) throw new ArgumentException($"-k {k}: give 1 or more neighbours.");
        var (features, rows) = EmbeddingFiles.Of(embeddings).Load();
        using var _ = features;
        var row = rows[Resolve(rows, query)];
        output.WriteLine($"query #{row.Index} {row.Name}{ClassText(row)}; {Math.Min(k, rows.Count - 1)} nearest of {rows.Count} by cosine similarity:");
        output.WriteLine($"{"rank",4}  {"cosine",7}  {"index",6}  {"class",-12}  file");
        int rank = 0;
        foreach (var n in Neighbours.Nearest(features, row.Index, k))
        {
            var hit = rows[n.Index];
            output.WriteLine($"{++rank,4}  {n.Cosine,7:F4}  {hit.Index,6}  {hit.Class,-12}  {hit.Name}");
        }
    }

    /// <summary>Prints the pairs of rows with cosine similarity ≥ <paramref name="threshold"/>, most similar first, at most <paramref name="limit"/>.</summary>
    public static void PrintDuplicates(string embeddings, double threshold, int limit, TextWriter output)
    {
        if (threshold is < -1 or > 1) throw new ArgumentException($"--threshold {threshold}: a cosine similarity lies in [-1, 1].");
        if (limit < 0) throw new ArgumentException($"--limit {limit}: give 0 or more pairs.");
        var (features, rows) = EmbeddingFiles.Of(embeddings).Load();
        using var _ = features;
        var pairs = Neighbours.Duplicates(features, threshold, limit, out long total);
        output.WriteLine($"{total} pair(s) of the {rows.Count} images with cosine similarity ≥ {threshold}" +
                         (total > pairs.Count ? $"; the {pairs.Count} most similar:" : total > 0 ? ":" : "."));
        if (pairs.Count == 0) return;
        output.WriteLine($"{"cosine",7}  {"index",6}  {"index",6}  files");
        foreach (var p in pairs)
            output.WriteLine($"{p.Cosine,7:F4}  {p.A,6}  {p.B,6}  {rows[p.A].Name}  {rows[p.B].Name}");
    }

    private static string ClassText(EmbeddingRow row) => row.Class.Length > 0 ? $" (class {row.Class})" : "";
}
