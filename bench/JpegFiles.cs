
namespace BarlowTwins.Bench;

/// <summary>The real photos Debian ships (matplotlib, scikit-learn) that the benchmarks decode.</summary>
public static class JpegFiles
{
    /// <summary>grace_hopper.jpg (512×600), china.jpg and flower.jpg (640×427): the reference benchmark's defaults.</summary>
    public static IReadOnlyList<string> Defaults { get; } =
    [
        "/usr/share/matplotlib/mpl-data/sample_data/grace_hopper.jpg",
        "/usr/lib/python3/dist-packages/sklearn/datasets/images/china.jpg",
        "/usr/lib/python3/dist-packages/sklearn/datasets/images/flower.jpg",
    ];

    /// <summary>Throws a clear error naming the Debian packages when a photo is missing.</summary>
    public static void EnsureExist(IEnumerable<string> files)
    {
        var missing = files.Where(f => !File.Exists(f)).ToList();
        if (missing.Count > 0)
            throw new FileNotFoundException(
                $"benchmark photos not found: {string.Join(", ", missing)} (apt-get install python3-matplotlib python3-sklearn, or pass your own JPEGs)");
    }
}
