using BarlowTwins.Evaluation;
using BarlowTwins.Tests.Support;
using static TorchSharp.torch;

namespace BarlowTwins.Tests.Evaluation;

public class AccuracyTests
{
    public AccuracyTests() => Torch.Ensure();

    [Fact]
    public void TopKCountsLabelsAmongTheBestScores()
    {
        // 7 classes; scores rank classes 0 > 1 > … > 6 for every row.
        using var scores = tensor(new float[] { 7, 6, 5, 4, 3, 2, 1 }).repeat(4, 1);
        using var labels = tensor(new long[] { 0, 1, 4, 5 });
        Assert.Equal(1, Accuracy.TopKHits(scores, labels, 1));   // only label 0 is ranked first
        Assert.Equal(3, Accuracy.TopKHits(scores, labels, 5));   // labels 0, 1, 4 are in the top 5; 5 is sixth
        var counter = new TopKCounter();
        counter.Add(scores, labels);
        Assert.Equal(new TopKAccuracy(25, 75), counter.Result);
    }

    [Fact]
    public void TopKWithFewerClassesThanKCountsEverything()
    {
        using var scores = tensor(new float[] { 0.1f, 0.9f, 0.5f, 0.5f }).view(2, 2);
        using var labels = tensor(new long[] { 0, 1 });
        Assert.Equal(2, Accuracy.TopKHits(scores, labels, 5));
    }

    [Fact]
    public void ConfusionMatrixCountsPairs()
    {
        var matrix = new ConfusionMatrix(["a", "b", "c"]);
        using var predicted = tensor(new long[] { 0, 1, 1, 2, 0, 2 });
        using var labels = tensor(new long[] { 0, 1, 0, 2, 2, 2 });
        matrix.Add(predicted, labels);
        Assert.Equal(new long[][] { [1, 1, 0], [0, 1, 0], [1, 0, 2] }, matrix.ToRows());
        Assert.Equal(6, matrix.Total);
        Assert.Equal(4 * 100.0 / 6, matrix.Accuracy, 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => matrix.Add(3, 0));
    }

    [Fact]
    public void ConfusionMatrixImageIsAPng()
    {
        var matrix = new ConfusionMatrix(["T-shirt/top", "Trouser", "Pullover"]);
        matrix.Add(0, 0); matrix.Add(1, 2); matrix.Add(2, 2);
        using var temp = new TempFolder();
        string path = temp.File("confusion.png");
        ConfusionMatrixImage.Save(matrix, path, "test");
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
    }
}
