using System.Text.Json;
using BarlowTwins.Evaluation;
using BarlowTwins.Tests.Support;

namespace BarlowTwins.Tests.Evaluation;

public class EvalReportTests
{
    public EvalReportTests() => Torch.Ensure();

    [Fact]
    public void RecordHoldsNumbersOptionsAndConfusionAndThePngIsWritten()
    {
        using var train = EvalFixtures.Blobs(10, 3, 4, seed: 1);
        using var test = EvalFixtures.Blobs(5, 3, 4, seed: 2);
        var options = new LinearProbeOptions(Epochs: 2, BatchSize: 8);
        var result = LinearProbe.Run(train, test, options);
        using var temp = new TempFolder();
        string folder = temp.File("report");
        var record = new EvalRecord("linear", "ckpt", "synthetic", 30, 15, "cifar", "none", 0, options, result, ["a warning"]);
        string path = EvalReport.Write(folder, "linear-test", record, [("", "title", result.Confusion)]);
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        var root = json.RootElement;
        Assert.Equal("ckpt", root.GetProperty("checkpoint").GetString());
        Assert.True(root.GetProperty("small-test-split").GetBoolean()); // 15 test images
        Assert.Equal("a warning", root.GetProperty("warnings")[0].GetString());
        Assert.Equal(2, root.GetProperty("options").GetProperty("epochs").GetInt32());
        Assert.Equal("cached", root.GetProperty("options").GetProperty("mode").GetString());
        Assert.Equal(result.Final.Top1, root.GetProperty("result").GetProperty("final").GetProperty("top1").GetDouble());
        var rows = root.GetProperty("result").GetProperty("confusion").GetProperty("rows-are-labels");
        Assert.Equal(15, rows.EnumerateArray().SelectMany(r => r.EnumerateArray()).Sum(c => c.GetInt64()));
        Assert.True(File.Exists(Path.Combine(folder, "linear-test-confusion.png")));
    }
}
