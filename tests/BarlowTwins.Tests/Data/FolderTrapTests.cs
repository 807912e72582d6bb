using BarlowTwins.Data;
using static BarlowTwins.Tests.Data.PngWriter;

namespace BarlowTwins.Tests.Data;

/// <summary>
/// Image-folder layouts that used to mislead without a word: a lone train/ read as one class, an
/// empty class folder, a link back to a parent folder, the hash-chosen test share left out of
/// pre-training; and a spec value that does not parse.
/// </summary>
public sealed class FolderTrapTests
{
    private static void Png(TempFolder temp, string relative, int seed = 1) =>
        Write(temp.File(relative), 4, 4, ColourType.Rgb, 8, [.. Enumerable.Range(0, 48).Select(i => (byte)(i * seed))]);

    private static IImageSource Open(string root, DataSplit split, DataReport? report = null, string options = "") =>
        DataSpec.Parse($"folder:{root}{options}").Open(split, report);

    [Fact]
    public void ALoneTrainFolderIsTheTrainSplitNotAClass()
    {
        using var temp = new TempFolder();
        for (int i = 0; i < 3; i++)
        {
            Png(temp, $"train/cat/{i}.png", i + 1);
            Png(temp, $"train/dog/{i}.png", i + 5);
        }
        var train = Open(temp.Path, DataSplit.Train);
        Assert.Equal(["cat", "dog"], train.Classes);
        Assert.Equal(6, train.Count);
        var error = Assert.Throws<InvalidDataException>(() => Open(temp.Path, DataSplit.Test));
        Assert.Contains("no test/ or val/", error.Message);
    }

    [Fact]
    public void ValIsTheTestSplit()
    {
        using var temp = new TempFolder();
        Png(temp, "train/cat/0.png");
        Png(temp, "val/cat/0.png");
        Png(temp, "val/cat/1.png");
        Assert.Equal(2, Open(temp.Path, DataSplit.Test).Count);
        Assert.Equal(1, Open(temp.Path, DataSplit.Train).Count);
    }

    [Fact]
    public void AnEmptyClassFolderIsReported()
    {
        using var temp = new TempFolder();
        Png(temp, "cat/0.png");
        Directory.CreateDirectory(Path.Combine(temp.Path, "dog"));
        var report = new DataReport();
        var all = Open(temp.Path, DataSplit.All, report);
        Assert.Equal(["cat", "dog"], all.Classes);
        var item = Assert.Single(report.Skipped);
        Assert.Equal(Path.Combine(temp.Path, "dog"), item.Path);
        Assert.Contains("empty class folder", item.Reason);
    }

    [Fact]
    public void ALinkToAParentFolderIsALoopNotMoreImages()
    {
        using var temp = new TempFolder();
        for (int i = 0; i < 3; i++) Png(temp, $"a/{i}.png", i + 1);
        Directory.CreateSymbolicLink(Path.Combine(temp.Path, "a", "up"), "..");
        var report = new DataReport();
        var all = Open(temp.Path, DataSplit.All, report);
        Assert.Equal(3, all.Count); // was 123: the link was followed until the path grew too long
        Assert.Contains("loop", Assert.Single(report.Skipped).Reason);
    }

    [Fact]
    public void ALinkToAFolderOutsideIsFollowed()
    {
        using var temp = new TempFolder();
        Png(temp, "elsewhere/x.png");
        Png(temp, "data/a/0.png");
        Directory.CreateSymbolicLink(Path.Combine(temp.Path, "data", "a", "more"), Path.Combine(temp.Path, "elsewhere"));
        Assert.Equal(2, Open(Path.Combine(temp.Path, "data"), DataSplit.All).Count);
    }

    [Fact]
    public void TheTrainSplitSaysItLeavesOutTheTestShareAndSplitAllReadsEverything()
    {
        using var temp = new TempFolder();
        for (int i = 0; i < 40; i++) Png(temp, $"c/{i}.png", i + 1);
        var train = Open(temp.Path, DataSplit.Train);
        Assert.True(train.Count < 40);
        Assert.Contains("10 % of the files (hash-chosen) are the test split, left out here: ?split=all", train.Description);
        var spec = DataSpec.Parse($"folder:{temp.Path}?split=all");
        Assert.Equal(DataSplit.All, spec.PretrainingSplit);
        Assert.Equal(40, spec.Open(spec.PretrainingSplit).Count);
        Assert.Equal(DataSplit.Train, DataSpec.Parse($"folder:{temp.Path}").PretrainingSplit);
    }

    [Theory]
    [InlineData("folder:/x?test=abc", "test=abc")]
    [InlineData("folder:/x?test=1.5", "test=1.5")]
    [InlineData("folder:/x?channels=two", "channels=two")]
    [InlineData("synthetic?count=many", "count=many")]
    [InlineData("synthetic?split=most", "split=most")]
    public void ABadSpecValueIsRefusedByItsKeyWhenParsed(string spec, string named)
    {
        var error = Assert.Throws<FormatException>(() => DataSpec.Parse(spec));
        Assert.Contains(named, error.Message);
    }

    [Fact]
    public void ALongSkipListShowsItsFirstLinesAndWhereTheRestIs()
    {
        using var temp = new TempFolder();
        var report = new DataReport();
        for (int i = 0; i < DataReport.ShownItems + 5; i++) report.Skip($"/data/{i}.png", "not an image");
        string list = Path.Combine(temp.Path, "out", "skipped.txt"); // its folder is made
        string summary = report.Publish(list);
        Assert.StartsWith($"skipped {DataReport.ShownItems + 5} unreadable", summary);
        Assert.Contains($"… and 5 more: all of them in {list}", summary);
        Assert.DoesNotContain($"/data/{DataReport.ShownItems}.png", summary);
        Assert.True(report.IsLong);
        Assert.Equal(DataReport.ShownItems + 5, File.ReadAllLines(list).Length);
        Assert.Equal(summary, report.Summary(list));
    }

    [Fact]
    public void AShortSkipListIsPrintedWholeAndWritesNoFile()
    {
        using var temp = new TempFolder();
        var report = new DataReport();
        report.Skip("/data/0.png", "not an image");
        string list = temp.File("skipped.txt");
        Assert.Equal($"skipped 1 unreadable file(s) or folder(s):{Environment.NewLine}  /data/0.png: not an image", report.Publish(list));
        Assert.Equal("", new DataReport().Publish(list));
        Assert.False(File.Exists(list));
    }
}
