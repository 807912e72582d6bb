using System.Text.Json;
using BarlowTwins.Interop;
using static TorchSharp.torch;

namespace BarlowTwins.Tests.Support;

/// <summary>
/// The PyTorch reference numerics in ../shared/fixtures (beside the repository), described by
/// manifest.json. BARLOW_FIXTURES overrides the folder.
/// </summary>
public static class SharedFixtures
{
    private static readonly Lazy<string> Root = new(FindRoot);
    private static readonly Lazy<JsonElement> LazyManifest =
        new(() => JsonDocument.Parse(File.ReadAllText(Path.Combine(Root.Value, "manifest.json"))).RootElement);

    /// <summary>The parsed manifest.json.</summary>
    public static JsonElement Manifest => LazyManifest.Value;

    /// <summary>Loads a fixture file by its path relative to the fixtures folder.</summary>
    public static Tensor Load(string relativePath) => Npy.Load(Path.Combine(Root.Value, relativePath));

    /// <summary>Loads the file named by a manifest entry that has a "file" property.</summary>
    public static Tensor Load(JsonElement entry) => Load(entry.GetProperty("file").GetString()!);

    /// <summary>Absolute path of a fixture file.</summary>
    public static string PathOf(string relativePath) => Path.Combine(Root.Value, relativePath);

    private static string FindRoot()
    {
        var overridden = Environment.GetEnvironmentVariable("BARLOW_FIXTURES");
        if (!string.IsNullOrEmpty(overridden)) return overridden;
        var repo = RepositoryRoot.Find();
        var root = Path.GetFullPath(Path.Combine(repo, "..", "shared", "fixtures"));
        return File.Exists(Path.Combine(root, "manifest.json"))
            ? root
            : throw new DirectoryNotFoundException($"Reference fixtures not found at {root}; set BARLOW_FIXTURES.");
    }
}

/// <summary>Finds the repository root (the folder holding BarlowTwins.sln).</summary>
public static class RepositoryRoot
{
    /// <summary>The repository root above the test binaries.</summary>
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "BarlowTwins.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("BarlowTwins.sln not found above " + AppContext.BaseDirectory);
    }
}
