using System.Text.RegularExpressions;
using BarlowTwins.Tests.Support;

namespace BarlowTwins.Tests.Layout;

/// <summary>
/// The folders of src/ follow an image's path (Data → Augment → Models → Loss → Optim → Training →
/// Evaluation → Interop): read from the <c>using</c> lines and the qualified type names, which folder needs which, no two
/// folders may need each other, directly or round a longer loop.
/// </summary>
public partial class FolderDependencyTests
{
    private static readonly string Source = Path.Combine(RepositoryRoot.Find(), "src");

    [Fact]
    public void NoFolderCycle()
    {
        var cycles = FolderGraph.Read(Source).Cycles();
        Assert.True(cycles.Count == 0, "Folder cycles in src/ (each arrow: the files whose using lines make it):\n"
                                       + string.Join("\n", cycles));
    }

    [Fact]
    public void EveryNamespaceIsItsFolder()
    {
        var strays = SourceFiles(Source)
            .Select(file => (File: Path.GetRelativePath(Source, file), Namespace: NamespaceOf(file)))
            .Where(f => f.Namespace is not null && f.Namespace != FolderGraph.NamespaceOfFolder(f.File))
            .Select(f => $"{f.File}: namespace {f.Namespace}")
            .ToList();
        Assert.True(strays.Count == 0, "The using lines stand for folders only while namespaces follow them:\n"
                                       + string.Join("\n", strays));
    }

    [Fact]
    public void FindsACycle()
    {
        var graph = new FolderGraph();
        graph.Add("Data", "Augment", "Data/BatchLoader.cs");
        graph.Add("Augment", "Models", "Augment/A.cs");
        graph.Add("Models", "Data", "Models/M.cs");
        graph.Add("Loss", "Data", "Loss/L.cs");
        var cycle = Assert.Single(graph.Cycles());
        Assert.Equal("Augment → Models (Augment/A.cs) → Data (Models/M.cs) → Augment (Data/BatchLoader.cs)", cycle);
    }

    internal static IEnumerable<string> SourceFiles(string root) =>
        Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
                 .Where(f => !Path.GetRelativePath(root, f).Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj"));

    private static string? NamespaceOf(string file) =>
        File.ReadLines(file).Select(line => NamespaceLine().Match(line)).FirstOrDefault(m => m.Success)?.Groups[1].Value;

    [GeneratedRegex(@"^namespace\s+([\w.]+)\s*[;{]?\s*$")]
    private static partial Regex NamespaceLine();
}

/// <summary>Which folder of src/ uses which, and through which files.</summary>
internal sealed partial class FolderGraph
{
    private readonly SortedDictionary<string, SortedDictionary<string, SortedSet<string>>> _edges = new(StringComparer.Ordinal);

    /// <summary>
    /// The graph of every .cs file below <paramref name="source"/>: its using lines, and the
    /// qualified names in its code (<c>Training.RunFolder</c> needs no using line).
    /// </summary>
    public static FolderGraph Read(string source)
    {
        var graph = new FolderGraph();
        var files = FolderDependencyTests.SourceFiles(source)
            .Select(file => (Relative: Path.GetRelativePath(source, file), Lines: File.ReadAllLines(file))).ToList();
        var types = DeclaredTypes(files);
        foreach (var (relative, lines) in files)
        {
            var from = FolderOf(NamespaceOfFolder(relative));
            foreach (var line in lines)
                foreach (var to in UsedNamespaces(line, types).Select(FolderOf).Where(to => to != from))
                    graph.Add(from, to, relative.Replace(Path.DirectorySeparatorChar, '/'));
        }
        return graph;
    }

    // The namespaces a line names: that of a using line, or of each qualified name of a type of src/.
    private static IEnumerable<string> UsedNamespaces(string line, Dictionary<string, string> types)
    {
        if (UsingLine().Match(line) is { Success: true } usingLine)
        {
            yield return usingLine.Groups[1].Value;
            yield break;
        }
        foreach (Match name in QualifiedName().Matches(Code(line)))
        {
            var parts = name.Value.Split('.');
            for (int length = 2; length <= parts.Length; length++)
                if (types.TryGetValue(string.Join('.', parts.Take(length)), out var ns))
                {
                    yield return ns;
                    break;
                }
        }
    }

    // A line's code, and of its comment only the cref targets, which the compiler resolves: a
    // comment may name a type upstream in words (<c>Evaluation.BackboneSource</c>) without needing it.
    private static string Code(string line)
    {
        int comment = line.TrimStart().StartsWith("//", StringComparison.Ordinal) ? line.IndexOf("//", StringComparison.Ordinal)
                      : line.IndexOf(" // ", StringComparison.Ordinal);
        if (comment < 0) return line;
        return string.Join(' ', CrefTarget().Matches(line[comment..]).Select(m => m.Groups[1].Value).Prepend(line[..comment]));
    }

    // Every type declared in src/, under each qualified spelling (RunFolder in BarlowTwins.Training:
    // Training.RunFolder and BarlowTwins.Training.RunFolder), to its namespace.
    private static Dictionary<string, string> DeclaredTypes(IEnumerable<(string Relative, string[] Lines)> files)
    {
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (relative, lines) in files)
        {
            var ns = NamespaceOfFolder(relative);
            var segments = ns.Split('.');
            foreach (Match declaration in lines.SelectMany(line => TypeDeclaration().Matches(line)))
                for (int skip = 0; skip < segments.Length; skip++)
                    types[string.Join('.', segments.Skip(skip)) + "." + declaration.Groups[1].Value] = ns;
        }
        return types;
    }

    /// <summary>The namespace a file's folder stands for: src/BarlowTwins/Interop/Pickle/X.cs → BarlowTwins.Interop.Pickle.</summary>
    public static string NamespaceOfFolder(string relativePath) =>
        (Path.GetDirectoryName(relativePath) ?? "").Replace(Path.DirectorySeparatorChar, '.');

    /// <summary>Records that <paramref name="from"/> uses <paramref name="to"/> in <paramref name="file"/>.</summary>
    public void Add(string from, string to, string file)
    {
        if (!_edges.TryGetValue(from, out var targets)) _edges[from] = targets = new(StringComparer.Ordinal);
        if (!targets.TryGetValue(to, out var files)) targets[to] = files = new(StringComparer.Ordinal);
        files.Add(file);
    }

    /// <summary>
    /// One line per cycle through the strongly connected folders: each shortest loop from the
    /// alphabetically first folder of a group, with the files that make each arrow.
    /// </summary>
    public List<string> Cycles()
    {
        var cycles = new List<string>();
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (from, targets) in _edges)
            foreach (var to in targets.Keys)
            {
                var back = ShortestPath(to, from);
                if (back is null) continue;
                var loop = new List<string> { from }.Concat(back).ToList(); // from → to → … → from
                var key = Canonical(loop);
                if (!reported.Add(key)) continue;
                cycles.Add(Describe(Rotate(loop)));
            }
        return cycles;
    }

    private List<string>? ShortestPath(string start, string goal)
    {
        var previous = new Dictionary<string, string?> { [start] = null };
        var queue = new Queue<string>([start]);
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            if (node == goal)
            {
                var path = new List<string>();
                for (string? at = node; at is not null; at = previous[at]) path.Insert(0, at);
                return path;
            }
            if (!_edges.TryGetValue(node, out var targets)) continue;
            foreach (var next in targets.Keys.Where(next => previous.TryAdd(next, node))) queue.Enqueue(next);
        }
        return null;
    }

    // A loop [a, b, c, a] starts at its alphabetically first folder, so that each cycle is reported once.
    private static List<string> Rotate(List<string> loop)
    {
        var ring = loop.Take(loop.Count - 1).ToList();
        int first = ring.IndexOf(ring.Min(StringComparer.Ordinal)!);
        var rotated = ring.Skip(first).Concat(ring.Take(first)).ToList();
        rotated.Add(rotated[0]);
        return rotated;
    }

    private static string Canonical(List<string> loop) => string.Join("→", Rotate(loop));

    private string Describe(List<string> loop) =>
        loop[0] + string.Concat(loop.Zip(loop.Skip(1), (a, b) => $" → {b} ({string.Join(", ", _edges[a][b])})"));

    // BarlowTwins.Interop.Pickle → Interop (a sub-folder belongs to its folder); the CLI's folders
    // keep their project: BarlowTwins.Cli.Commands → Cli.Commands.
    private static string FolderOf(string ns)
    {
        var parts = ns.Split('.');
        int depth = parts.Length > 1 && parts[1] == "Cli" ? 3 : 2;
        return string.Join('.', parts.Skip(1).Take(depth - 1)) is { Length: > 0 } folder ? folder : "(root)";
    }

    [GeneratedRegex(@"^\s*(?:global\s+)?using\s+(?:static\s+)?(?:\w+\s*=\s*)?(BarlowTwins(?:\.\w+)*)\s*;")]
    private static partial Regex UsingLine();

    [GeneratedRegex(@"(?<![\w.])[A-Z]\w*(?:\.[A-Z]\w*)+")]
    private static partial Regex QualifiedName();

    [GeneratedRegex(@"\b(?:class|record|struct|enum|interface)\s+([A-Z]\w*)")]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex("cref=\"([^\"]+)\"")]
    private static partial Regex CrefTarget();
}
