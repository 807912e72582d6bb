using BarlowTwins.Tests.Support;
using BarlowTwins.Training.Options;

namespace BarlowTwins.Tests.Experiments;

/// <summary>The option files in configs/, which README and docs/results.md pass to --config and --recipe.</summary>
public sealed class ConfigFilesTests
{
    /// <summary>Every file in configs/, by its name.</summary>
    public static TheoryData<string> Files()
    {
        var names = Directory.GetFiles(Path.Combine(RepositoryRoot.Find(), "configs"), "*.json").Select(Path.GetFileName);
        return new TheoryData<string>(names.Order(StringComparer.Ordinal)!);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void OverlaysTheFashionMnistPresetAsValidOptions(string name)
    {
        string path = Path.Combine(RepositoryRoot.Find(), "configs", name);
        var options = PretrainOptionsJson.Overlay(PretrainPresets.Get("fashion-mnist"), File.ReadAllText(path), path);
        options.Validated();
    }
}
