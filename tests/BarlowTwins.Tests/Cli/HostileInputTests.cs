using System.CommandLine;
using System.Text.Json.Nodes;
using BarlowTwins.Cli.Commands;
using BarlowTwins.Data;
using BarlowTwins.Interop;
using BarlowTwins.Training;
using static BarlowTwins.Tests.Cli.CliRun;
using static BarlowTwins.Tests.Data.PngWriter;

namespace BarlowTwins.Tests.Cli;

/// <summary>
/// The command line against careless and hostile input: every refusal is one line on stderr,
/// exit 2 for a usage error and 1 for a runtime failure, and nothing is written before the options
/// are accepted. Each test builds its hostile input itself.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public sealed class HostileInputTests
{
    // A pre-training run a test can afford: two steps of a width-4 ResNet-18 on 16 px images.
    private static readonly string[] TinyPretrain =
    [
        "pretrain", "--preset", "cifar", "--backbone", "resnet18", "--width", "4", "--projector", "16-16", "--batch-size", "8",
        "--steps", "2", "--precision", "fp32", "--workers", "0", "--image-size", "16", "--log-every", "1",
    ];

    private const string TinySynthetic = "synthetic?count=32&size=16";

    /// <summary>Every number flag of every verb (path, flag).</summary>
    public static TheoryData<string, string> NumberFlags()
    {
        var data = new TheoryData<string, string>();
        foreach (var (path, command) in Commands(Verbs.Root(), ""))
            foreach (var option in command.Options.Where(o => o is Option<double> or Option<double?>))
                data.Add(path, option.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(NumberFlags))]
    public void NaNAndInfinityAreRefusedByEveryNumberFlag(string path, string flag)
    {
        // -Infinity as its own token would read as a flag: it goes with its flag, as FLAG=VALUE.
        foreach (var (given, value) in new[] { (new[] { flag, "NaN" }, "NaN"), (new[] { flag, "Infinity" }, "Infinity"), (new[] { $"{flag}=-Infinity" }, "-Infinity") })
        {
            var (code, _, stderr) = Run([.. path.Split(' '), .. given]);
            Assert.Equal(2, code);
            Assert.Contains($"{flag} {value}: give a finite number.", stderr);
        }
    }

    // --lambda is a text flag (a number or auto), so the number flags' theory above does not reach it.
    [Theory]
    [InlineData("pretrain", "NaN")]
    [InlineData("pretrain", "Infinity")]
    [InlineData("pretrain", "-1")]
    [InlineData("ablate", "NaN")]
    public void ALambdaThatIsNotAFiniteNumberOrAutoIsOneLine(string verb, string value)
    {
        using var temp = new TempFolder();
        var (code, _, stderr) = Run(verb, "--data", TinySynthetic, "--out", Path.Combine(temp.Path, "run"), $"--lambda={value}");
        Assert.Equal(2, code);
        Assert.Contains($"not '{value}'", Assert.Single(Lines(stderr)));
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Path));
    }

    [Fact]
    public void UsageErrorsExitTwoAndRuntimeFailuresOne()
    {
        Assert.Equal(2, Run("pretrain", "--no-such-flag").Code);
        Assert.Equal(2, Run("preview", "--data", "synthetic", "--count", "lots").Code);
        using var temp = new TempFolder();
        var (code, _, stderr) = Run("preview", "--data", $"folder:{Path.Combine(temp.Path, "missing")}", "--out", temp.File("v.png"));
        Assert.Equal(1, code);
        Assert.Single(Lines(stderr));
    }

    [Theory]
    [InlineData("--momentum", "-5", "momentum")]
    [InlineData("--momentum", "1", "momentum")]
    [InlineData("--weight-decay", "-1", "weight-decay")]
    [InlineData("--eta", "0", "eta")]
    [InlineData("--beta2", "5", "beta2")]
    [InlineData("--jitter-strength", "-1", "jitter-strength")]
    [InlineData("--data", "folder:/tmp?test=abc", "test=abc")]
    [InlineData("--data", "synthetic?split=half", "split=half")]
    public void APretrainValueOutOfRangeIsRefusedBeforeTheRunFolderExists(string flag, string value, string named)
    {
        using var temp = new TempFolder();
        string run = Path.Combine(temp.Path, "run");
        string[] data = flag == "--data" ? [] : ["--data", TinySynthetic];
        var (code, _, stderr) = Run([.. TinyPretrain, .. data, "--optimizer", "adamw", "--out", run, flag, value]);
        Assert.Equal(2, code);
        Assert.Contains(named, Assert.Single(Lines(stderr)));
        Assert.False(Directory.Exists(run), $"{flag} {value} created the run folder");
    }

    [Fact]
    public void AutoOnFewerImagesThanThePresetsBatchTrainsWithABatchThatFitsAndSaysSo()
    {
        using var temp = new TempFolder();
        var (code, stdout, stderr) = Run("pretrain", "--data", "synthetic?count=20&size=24", "--width", "4", "--projector", "16-16",
                                         "--image-size", "16", "--steps", "2", "--precision", "fp32", "--workers", "0",
                                         "--out", Path.Combine(temp.Path, "run"));
        Assert.True(code == 0, stderr);
        Assert.Contains("; 16 px crops, batch 16 (not the preset's 256, which is more than the data holds;", Lines(stdout)[0]);
        var (refused, _, error) = Run("pretrain", "--preset", "cifar", "--data", "synthetic?count=20&size=24", "--out", Path.Combine(temp.Path, "other"));
        Assert.Equal(2, refused);
        Assert.Contains("pass --batch-size 16 (or less)", Assert.Single(Lines(error)));
    }

    [Fact]
    public void AnEmptyOutWritesNothingInTheWorkingFolder()
    {
        var (code, _, stderr) = Run([.. TinyPretrain, "--data", TinySynthetic, "--out", ""]);
        Assert.Equal(2, code);
        Assert.Contains("out must name a run folder", stderr);
        Assert.False(Directory.Exists("tensorboard"));
    }

    [Fact]
    public void PreviewNamesEveryOptionThatIsWrongOnOneLine()
    {
        using var temp = new TempFolder();
        var (code, _, stderr) = Run("preview", "--data", TinySynthetic, "--count", "-1", "--workers", "-2", "--augment", "sepia",
                                    "--out", temp.File("v.png"));
        Assert.Equal(2, code);
        var line = Assert.Single(Lines(stderr));
        Assert.StartsWith("error: Invalid preview options: count must be at least 1, not -1. workers must be at least 0, not -2.", line);
        Assert.Contains("'sepia'", line);
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Path));
    }

    [Fact]
    public void PreviewRefusesTheViewFlagsPretrainRefusesInTheSameWords()
    {
        using var temp = new TempFolder();
        var (code, _, stderr) = Run("preview", "--data", TinySynthetic, "--crop-scale", "0,2", "--jitter-strength", "-1", "--out", temp.File("v.png"));
        Assert.Equal(2, code);
        Assert.Equal("error: Invalid preview options: crop-scale must be min,max with 0 < min ≤ max ≤ 1, not 0,2. " +
                     "jitter-strength must be a finite number ≥ 0, not -1.", Assert.Single(Lines(stderr)));
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Path));
    }

    [Fact]
    public void ExportRefusesANegativeProbeAsTheOtherVerbsRefuseABadValue()
    {
        using var temp = new TempFolder();
        var (code, _, stderr) = Run("export", "--checkpoint", temp.Path, "--format", "onnx", "--out", temp.File("b.onnx"), "--probe", "-1");
        Assert.Equal(2, code);
        Assert.Equal("error: Invalid export options: probe must be at least 0, not -1.", Assert.Single(Lines(stderr)));
    }

    [Theory]
    [InlineData("neighbours", "-k", "0")]
    [InlineData("neighbours", "-k", "-1")]
    [InlineData("duplicates", "--limit", "-1")]
    public void ANeighbourOrPairCountBelowItsFloorIsOneLineBeforeAnyOutput(string verb, string flag, string value)
    {
        using var temp = new TempFolder();
        string[] query = verb == "neighbours" ? ["--query", "0"] : [];
        var (code, stdout, stderr) = Run([verb, "--embeddings", temp.File("missing"), .. query, flag, value]);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains($"{flag} {value}:", Assert.Single(Lines(stderr)));
    }

    [Fact]
    public void PreviewOutPointingAtAFolderIsOneLineAndWritesNothing()
    {
        using var temp = new TempFolder();
        var (code, _, stderr) = Run("preview", "--data", TinySynthetic, "--out", temp.Path);
        Assert.Equal(2, code);
        Assert.Contains($"--out {temp.Path} is a folder", Assert.Single(Lines(stderr)));
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Path));
    }

    /// <summary>Every verb that writes, with an --out that cannot be made: its parent is a file.</summary>
    public static TheoryData<string> WritingVerbs() => ["pretrain", "export", "embed", "preview", "import", "eval"];

    [Theory]
    [MemberData(nameof(WritingVerbs))]
    public void AnUnwritableOutIsOneLineNamingThePath(string verb)
    {
        using var temp = new TempFolder();
        string blocker = temp.File("a-file");
        File.WriteAllText(blocker, "not a folder");
        string output = Path.Combine(blocker, "sub", "out.x");
        string[] args = verb switch
        {
            "pretrain" => [.. TinyPretrain, "--data", TinySynthetic, "--out", output],
            "export" => ["export", "--checkpoint", temp.Path, "--format", "onnx", "--out", output],
            "embed" => ["embed", "--checkpoint", temp.Path, "--data", TinySynthetic, "--out", output],
            "preview" => ["preview", "--data", TinySynthetic, "--out", output],
            "import" => ["import", "--from", blocker, "--out", output],
            _ => ["eval", "knn", "--checkpoint", "pixels", "--data", TinySynthetic, "--out", output],
        };
        var (code, _, stderr) = Run(args);
        Assert.Equal(1, code);
        Assert.Contains(blocker, Assert.Single(Lines(stderr)));
        Assert.Equal([blocker], Directory.EnumerateFileSystemEntries(temp.Path));
    }

    [Theory]
    [InlineData("pretrain")]
    [InlineData("eval")]
    [InlineData("embed")]
    public void CudaOnTheCpuBuildIsOneLine(string verb)
    {
        if (ComputeDevice.Runtime == "cuda") return; // a CUDA build may well run it
        using var temp = new TempFolder();
        string[] args = verb switch
        {
            "pretrain" => [.. TinyPretrain, "--data", TinySynthetic, "--out", Path.Combine(temp.Path, "run")],
            "eval" => ["eval", "knn", "--checkpoint", "pixels", "--data", TinySynthetic, "--out", temp.Path],
            _ => ["embed", "--checkpoint", "random:resnet18", "--data", TinySynthetic, "--out", temp.File("e")],
        };
        var (code, _, stderr) = Run([.. args, "--device", "cuda"]);
        Assert.Equal(2, code);
        Assert.Contains("--device cuda: this build uses TorchSharp's CPU runtime", Assert.Single(Lines(stderr)));
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Path));
    }

    [Fact]
    public void AMissingCheckpointNamesWhatThatVerbTakes()
    {
        using var temp = new TempFolder();
        string missing = temp.File("missing");
        var (code, _, stderr) = Run("embed", "--checkpoint", missing, "--data", TinySynthetic, "--out", temp.File("e"));
        Assert.Equal(1, code);
        string line = Assert.Single(Lines(stderr));
        Assert.Contains($"Checkpoint not found: '{missing}'. Pass a backbone folder", line);
        Assert.DoesNotContain("random:", line); // embed takes no random weights or pixels
        (code, _, stderr) = Run("eval", "knn", "--checkpoint", missing, "--data", TinySynthetic, "--out", temp.File("k"));
        Assert.Contains("random:ARCH", Assert.Single(Lines(stderr)));
    }

    [Fact]
    public void ANegativeSafetensorsDimensionIsOneLineAndNoRunFolder()
    {
        using var temp = new TempFolder();
        var header = System.Text.Encoding.UTF8.GetBytes("""{"conv1.weight":{"dtype":"F32","shape":[-4,3,3,3],"data_offsets":[0,432]}}""");
        string weights = temp.File("hostile.safetensors");
        File.WriteAllBytes(weights, [.. BitConverter.GetBytes((ulong)header.Length), .. header, .. new byte[432]]);
        string run = Path.Combine(temp.Path, "run");
        var (code, _, stderr) = Run([.. TinyPretrain, "--data", TinySynthetic, "--out", run, "--init-from", weights]);
        Assert.Equal(1, code);
        Assert.Contains("negative dimension -4", Assert.Single(Lines(stderr)));
        Assert.False(Directory.Exists(run));
    }

    [Fact]
    public void ARefusedResumeLeavesTheRunFolderAsItWas()
    {
        using var temp = new TempFolder();
        string run = Path.Combine(temp.Path, "run");
        Assert.Equal(0, Run([.. TinyPretrain, "--data", TinySynthetic, "--out", run]).Code);
        var before = Snapshot(run);
        var (code, _, stderr) = Run([.. TinyPretrain, "--data", TinySynthetic, "--out", run, "--seed", "5"]);
        Assert.Equal(2, code);
        Assert.Contains("holds a run with other options", stderr);
        Assert.Equal(before, Snapshot(run));
    }

    [Fact]
    public void PretrainAndEmbedPrintTheSkippedFilesAndMetricsCountThem()
    {
        using var temp = new TempFolder();
        string data = BrokenFolder(temp, images: 16, broken: 2);
        string run = Path.Combine(temp.Path, "run");
        var (code, stdout, _) = Run([.. TinyPretrain, "--data", $"folder:{data}?split=all", "--out", run]);
        Assert.Equal(0, code);
        Assert.Contains("skipped 2 unreadable file(s)", stdout);
        Assert.Contains("broken-0.png", stdout);
        var header = File.ReadLines(Path.Combine(run, "metrics.jsonl")).Select(l => JsonNode.Parse(l)!).First(l => (string?)l["kind"] == "data");
        Assert.Equal(2, (int)header["skipped_files"]!);
        Assert.Contains("16 images", (string)header["data"]!); // split=all: every readable image, none held out

        (code, stdout, _) = Run("embed", "--checkpoint", run, "--data", $"folder:{data}", "--split", "all", "--out", Path.Combine(temp.Path, "emb"));
        Assert.Equal(0, code);
        Assert.Contains("skipped 2 unreadable file(s)", stdout);
    }

    [Fact]
    public void EveryListOfSkippedFilesThatASummaryNamesIsWritten()
    {
        using var temp = new TempFolder();
        string data = BrokenFolder(temp, images: 16, broken: DataReport.ShownItems + 2);
        string run = Path.Combine(temp.Path, "run"), list = new RunFolder(run).SkippedList;
        var (code, stdout, _) = Run([.. TinyPretrain, "--data", $"folder:{data}?split=all", "--out", run, "--print-config"]);
        Assert.Equal(0, code);
        Assert.Contains($"… and 2 more: all of them in {list} once the run starts", stdout);
        Assert.False(Path.Exists(run));

        (code, stdout, _) = Run([.. TinyPretrain, "--data", $"folder:{data}?split=all", "--out", run]);
        Assert.Equal(0, code);
        Assert.Contains($"… and 2 more: all of them in {list}", stdout);
        Assert.Equal(DataReport.ShownItems + 2, File.ReadAllLines(list).Length);

        string embeddings = Path.Combine(temp.Path, "emb"), embedList = EmbeddingFiles.Of(embeddings).Skipped;
        (code, stdout, _) = Run("embed", "--checkpoint", run, "--data", $"folder:{data}", "--split", "all", "--out", embeddings);
        Assert.Equal(0, code);
        Assert.Contains($"… and 2 more: all of them in {embedList}", stdout);
        Assert.Equal(DataReport.ShownItems + 2, File.ReadAllLines(embedList).Length);
    }

    [Fact]
    public void EvalPrintsTheSkippedFilesAndItsRecordCountsThem()
    {
        using var temp = new TempFolder();
        string data = BrokenFolder(temp, images: 12, broken: 3, split: true);
        string evals = Path.Combine(temp.Path, "eval");
        var (code, stdout, _) = Run("eval", "knn", "--checkpoint", "pixels", "--data", $"folder:{data}", "--augment", "cifar", "--out", evals);
        Assert.Equal(0, code);
        Assert.Contains("skipped 3 unreadable file(s)", stdout);
        var record = JsonNode.Parse(File.ReadAllText(Directory.GetFiles(evals, "*.json").Single()))!;
        Assert.Equal(3, (int)record["skipped-files"]!);
        Assert.Equal(3, record["skipped"]!.AsArray().Count);
    }

    // A folder of two classes of small PNGs and some files that are not images; with split, in
    // train/ and test/ (the broken files spread over both, one more in train/).
    private static string BrokenFolder(TempFolder temp, int images, int broken, bool split = false)
    {
        string root = Path.Combine(temp.Path, "data");
        for (int i = 0; i < images; i++)
        {
            string part = split ? (i % 3 == 0 ? "test/" : "train/") : "";
            var pixels = Enumerable.Range(0, 16 * 16 * 3).Select(p => (byte)(p * (i + 1))).ToArray();
            Write(temp.File($"data/{part}{(i % 2 == 0 ? "cat" : "dog")}/{i}.png"), 16, 16, ColourType.Rgb, 8, pixels);
        }
        for (int i = 0; i < broken; i++)
        {
            string part = split ? (i % 2 == 1 ? "test/" : "train/") : "";
            File.WriteAllText(temp.File($"data/{part}cat/broken-{i}.png"), "not a PNG");
        }
        return root;
    }

    // Every file of a folder with its size and time of last change.
    private static List<string> Snapshot(string folder) =>
        [.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
                     .Select(f => $"{f} {new FileInfo(f).Length} {File.GetLastWriteTimeUtc(f):O}")];

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
