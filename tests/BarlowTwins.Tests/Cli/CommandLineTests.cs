using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using BarlowTwins.Cli.Commands;
using BarlowTwins.Training.Options;

namespace BarlowTwins.Tests.Cli;

/// <summary>The console is one per process: the tests that capture it run alone.</summary>
[CollectionDefinition(nameof(ConsoleCollection), DisableParallelization = true)]
public sealed class ConsoleCollection;

/// <summary>
/// The <c>barlow</c> command line, parsed in-process: every option of <see cref="PretrainOptions"/>
/// has a flag that sets what its <c>--config</c> JSON key sets, every verb answers <c>--help</c>,
/// and a bad value of any option ends the command with one line on stderr and exit code 2 (a usage error).
/// </summary>
[Collection(nameof(ConsoleCollection))]
public sealed class CommandLineTests
{
    // A value other than the fashion-mnist preset's for the string options, which have no natural
    // "other" value; numbers and switches are changed by rule. A new string option needs a line here.
    private static readonly Dictionary<string, string> OtherText = new()
    {
        ["data"] = "synthetic?count=64",
        ["augment"] = "cifar",
        ["backbone"] = "resnet34",
        ["projector"] = "64-32",
        ["lambda"] = "0.002",
        ["optimizer"] = "sgd",
        ["view-pairing"] = "mean",
        ["device"] = "cuda",
        ["out"] = "runs/other",
        ["precision"] = "fp32",
        ["init-from"] = "runs/other/backbone.dat",
    };

    // A value each option refuses: a word where a number or switch is due, a name no kind has.
    private static readonly Dictionary<string, string> BadText = new()
    {
        ["data"] = "nowhere:",
        ["augment"] = "sepia",
        ["backbone"] = "vgg16",
        ["projector"] = "64-x",
        ["lambda"] = "lots",
        ["optimizer"] = "adam",
        ["view-pairing"] = "nearest",
        ["device"] = "tpu",
        ["crop-scale"] = "0.2",
        ["local-scale"] = "wide",
        ["precision"] = "fp16",
    };

    // A length flag replaces the preset's other lengths (a command line that names epochs wants
    // them); a config file's key leaves the other keys as they are.
    private static readonly Dictionary<string, JsonObject> FlagAlsoSets = new()
    {
        ["epochs"] = new() { ["minutes"] = null, ["steps"] = null },
        ["steps"] = new() { ["minutes"] = null },
        ["minutes"] = new() { ["steps"] = null },
    };

    private static readonly PretrainOptions Preset = PretrainPresets.FashionMnist;

    /// <summary>Every option key of <see cref="PretrainOptions"/> (its JSON keys, which are the flag names).</summary>
    public static TheoryData<string> OptionKeys()
    {
        var data = new TheoryData<string>();
        foreach (var (key, _) in Json(Preset)) data.Add(key);
        return data;
    }

    [Theory]
    [MemberData(nameof(OptionKeys))]
    public void EveryOptionHasAFlagThatSetsWhatItsConfigKeySets(string key)
    {
        var current = Json(Preset)[key];
        var (json, text) = Other(key, current);
        var config = FlagAlsoSets.TryGetValue(key, out var also) ? (JsonObject)also.DeepClone() : [];
        config[key] = json;
        var viaConfig = PretrainOptionsJson.Overlay(Preset, config.ToJsonString());
        Assert.NotEqual(Preset, viaConfig);
        var request = PretrainCommand.Request(Parse("pretrain", $"--{key}", text));
        Assert.Equal(viaConfig, request.Flags(Preset));
        Assert.Equal(viaConfig, PretrainOptionsJson.Read(PretrainOptionsJson.Write(viaConfig)));
    }

    [Fact]
    public void EveryOptionRoundTripsThroughAConfigFile()
    {
        using var temp = new TempFolder();
        var changed = Json(Preset);
        foreach (var (key, value) in Json(Preset)) changed[key] = Other(key, value).Json;
        var config = temp.File("all.json");
        File.WriteAllText(config, changed.ToJsonString());
        var request = PretrainCommand.Request(Parse("pretrain", "--preset", "imagenet", "--config", config));
        var options = request.Flags(PretrainOptionsJson.Overlay(PretrainPresets.Get(request.Preset), File.ReadAllText(request.ConfigFile!)));
        Assert.Equal(changed.ToJsonString(), Json(options).ToJsonString());
    }

    public static TheoryData<string> CommandPaths()
    {
        var data = new TheoryData<string>();
        foreach (var path in Paths(Verbs.Root(), "")) data.Add(path);
        return data;
    }

    [Theory]
    [MemberData(nameof(CommandPaths))]
    public void HelpRunsForEveryVerb(string path)
    {
        var (code, stdout, stderr) = Run([.. path.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"]);
        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        Assert.Contains("Usage:", stdout);
    }

    [Fact]
    public void PrintConfigShowsTheResolvedColourRunAndWritesNothing()
    {
        using var temp = new TempFolder();
        string run = temp.File("run");
        var (code, stdout, stderr) = Run(["pretrain", "--data", "synthetic?count=64&size=40&channels=3", "--batch-size", "8",
                                          "--steps", "60", "--out", run, "--print-config"]);
        Assert.Equal((0, ""), (code, stderr));
        Assert.StartsWith("preset cifar, chosen for the data (synthetic?count=64&size=40&channels=3: 64 colour images", stdout);
        Assert.Contains("; 32 px crops, batch 8; --preset NAME chooses another", stdout); // --batch-size, not the preset's or the fitted one
        Assert.Contains("\"channels\": 3,", stdout);
        Assert.Contains("\"image-size\": 32,", stdout);
        Assert.Contains("\ndata: synthetic train (64 images 40×40×3", stdout);
        Assert.Contains("\nschedule: 60 steps", stdout);
        Assert.EndsWith("nothing was written (--print-config)", stdout.TrimEnd());
        Assert.False(Path.Exists(run));
    }

    [Theory]
    [InlineData("0,0.5")]
    [InlineData("300,0.5")]
    [InlineData("14,1")]
    [InlineData("14,NaN")]
    [InlineData("14,Infinity")]
    public void AnOutOfRangeProgressiveEndsWithOneLineNamingIt(string value)
    {
        using var temp = new TempFolder();
        var (code, stdout, stderr) = Run(["pretrain", "--out", temp.Path, "--steps", "10", "--progressive", value]);
        Assert.Equal((2, ""), (code, stdout.Trim()));
        Assert.Contains("progressive must be size,fraction", Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.False(File.Exists(Path.Combine(temp.Path, "config.json")));
    }

    [Fact]
    public void HelpShowsEachFlagsValueUnderTheGivenPreset()
    {
        var (_, cifar, _) = Run(["pretrain", "--preset", "cifar", "--help"]);
        Assert.Contains("Values in [ ] are those of preset cifar.", cifar);
        Assert.Contains("[cifar: 32]", cifar); // --image-size (the help wraps its columns to the console's width)
        Assert.Contains("[cifar: 2048-2048-2048]", cifar); // --projector
        var (_, auto, _) = Run(["pretrain", "--help"]);
        Assert.Contains("[fashion-mnist: 28]", auto);
    }

    /// <summary>Every pretrain flag with a value it refuses.</summary>
    public static TheoryData<string, string> BadValues()
    {
        var data = new TheoryData<string, string>();
        foreach (var (key, value) in Json(Preset))
            if (Bad(key, value) is { } bad) data.Add(key, bad);
        return data;
    }

    [Theory]
    [MemberData(nameof(BadValues))]
    public void ABadValueEndsWithOneLine(string key, string bad)
    {
        using var temp = new TempFolder();
        var (code, stdout, stderr) = Run(["pretrain", "--out", temp.Path, $"--{key}", bad]);
        Assert.Equal(2, code);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"--{key} {bad}: {lines.Length} lines on stderr:\n{stderr}");
        Assert.True(stdout.Trim().Length == 0, $"--{key} {bad}: stdout too:\n{stdout}");
    }

    private static JsonObject Json(PretrainOptions options) => JsonNode.Parse(PretrainOptionsJson.Write(options))!.AsObject();

    private static ParseResult Parse(params string[] args)
    {
        var parse = Verbs.Parse(args);
        Assert.Empty(parse.Errors);
        return parse;
    }

    // Another valid value of an option: as JSON, and as the flag's text.
    private static (JsonNode Json, string Text) Other(string key, JsonNode? current)
    {
        if (OtherText.TryGetValue(key, out var text)) return (JsonValue.Create(text)!, text);
        switch (current)
        {
            case null: // an option that is off unless given (micro-batch, minutes, max-steps, crop-scale)
                return key switch
                {
                    "crop-scale" => (new JsonObject { ["min"] = 0.3, ["max"] = 1.0 }, "0.3,1"),
                    "progressive" => (new JsonObject { ["size"] = 14, ["fraction"] = 0.5 }, "14,0.5"),
                    "blur" or "solarize" => (new JsonObject { ["a"] = 0.5, ["b"] = 0.25 }, "0.5,0.25"),
                    _ => (JsonValue.Create(64), "64"),
                };
            case JsonObject interval: // min,max
                double min = (double)interval["min"]! / 2, max = (double)interval["max"]!;
                return (new JsonObject { ["min"] = min, ["max"] = max }, string.Create(CultureInfo.InvariantCulture, $"{min},{max}"));
        }
        var value = current.AsValue();
        if (value.TryGetValue(out bool flag)) return (JsonValue.Create(!flag), (!flag).ToString().ToLowerInvariant());
        if (value.TryGetValue(out int integer))
        {
            int other = key switch { "channels" => 4 - integer, "stem-stride" => 3 - integer, _ => integer + 1 };
            return (JsonValue.Create(other), other.ToString(CultureInfo.InvariantCulture));
        }
        double number = (double)value * 2 + 0.25;
        return (JsonValue.Create(number), number.ToString("R", CultureInfo.InvariantCulture));
    }

    // A refused value: a word where a number or a switch is due.
    private static string? Bad(string key, JsonNode? current) =>
        BadText.TryGetValue(key, out var bad) ? bad
        : key is "out" or "init-from" ? null // any path is a path: a missing --init-from is found when the weights are read (a resumed run no longer needs them)
        : current is null || current is JsonObject || current.AsValue().TryGetValue(out bool _) || current.AsValue().TryGetValue(out double _) ? "lots"
        : throw new InvalidOperationException($"No refused value for --{key}: add one to BadText.");

    private static IEnumerable<string> Paths(Command command, string prefix)
    {
        foreach (var sub in command.Subcommands)
        {
            var path = $"{prefix} {sub.Name}".Trim();
            yield return path;
            foreach (var deeper in Paths(sub, path)) yield return deeper;
        }
    }

    private static (int Code, string Stdout, string Stderr) Run(string[] args) => CliRun.Run(args);
}
