using System.CommandLine;
using BarlowTwins.Cli.Commands;
using static BarlowTwins.Tests.Cli.CliRun;

namespace BarlowTwins.Tests.Cli;

/// <summary>
/// <c>--augment</c> on the verbs whose <c>--preset</c> meant the augmentation preset: the old
/// spelling is unlisted but still reaches the same option, and giving both is one line.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public sealed class AugmentOptionTests
{
    private const string Tiny = "synthetic?count=16&size=16";

    // The arguments each such verb needs to get as far as reading its augmentation preset.
    private static readonly Dictionary<string, Func<string, string[]>> Needs = new()
    {
        ["eval linear"] = EvalArguments,
        ["eval transfer"] = EvalArguments,
        ["eval knn"] = EvalArguments,
        ["eval semi"] = EvalArguments,
        ["embed"] = temp => ["--checkpoint", "pixels", "--data", Tiny, "--out", Path.Combine(temp, "e")],
        ["preview"] = temp => ["--data", Tiny, "--out", Path.Combine(temp, "v.png")],
        ["bench augment"] = _ => ["--threads", "1"],
    };

    private static string[] EvalArguments(string temp) => ["--checkpoint", "pixels", "--data", Tiny, "--out", temp];

    public static TheoryData<string> AliasVerbs() => [.. Needs.Keys];

    [Fact]
    public void TheVerbsWithTheOldSpellingAreTheseAndTheirHelpListsOnlyTheNewOne()
    {
        var withOldName = Commands(Verbs.Root(), "")
            .Where(c => c.Command.Options.Any(o => o.Name == "--preset" && o.Hidden))
            .Select(c => c.Path).Order(StringComparer.Ordinal);
        Assert.Equal(Needs.Keys.Order(StringComparer.Ordinal), withOldName);
        foreach (var path in Needs.Keys)
        {
            var (code, help, _) = Run([.. path.Split(' '), "--help"]);
            Assert.Equal(0, code);
            Assert.Contains("--augment", help);
            Assert.DoesNotContain("--preset", help);
        }
    }

    [Theory]
    [MemberData(nameof(AliasVerbs))]
    public void BothSpellingsAtOnceAreOneLine(string path)
    {
        using var temp = new TempFolder();
        var (code, _, stderr) = Run([.. path.Split(' '), .. Needs[path](temp.Path), "--preset", "cifar", "--augment", "cifar"]);
        Assert.Equal(2, code);
        Assert.Contains("--preset is the old name of --augment", Assert.Single(Lines(stderr)));
    }

    [Theory]
    [InlineData("eval knn")]
    [InlineData("preview")]
    [InlineData("bench augment")]
    public void TheOldSpellingSetsTheAugmentationPreset(string path)
    {
        using var temp = new TempFolder();
        foreach (var flag in new[] { "--preset", "--augment" })
        {
            var (code, _, stderr) = Run([.. path.Split(' '), .. Needs[path](temp.Path), flag, "sepia"]);
            Assert.Equal(2, code);
            Assert.Contains("augmentation preset 'sepia'", Assert.Single(Lines(stderr)));
        }
    }

    private static IEnumerable<(string Path, Command Command)> Commands(Command command, string prefix)
    {
        foreach (var sub in command.Subcommands)
        {
            var path = $"{prefix} {sub.Name}".Trim();
            yield return (path, sub);
            foreach (var deeper in Commands(sub, path)) yield return deeper;
        }
    }
}
