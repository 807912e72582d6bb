using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using BarlowTwins.Data;
using Xunit.Abstractions;

namespace BarlowTwins.Tests.Data;

public sealed class IdxDatasetTests(ITestOutputHelper output)
{
    /// <summary>Writes an IDX file of unsigned bytes; <paramref name="magicType"/> lets a test write a wrong one.</summary>
    internal static void WriteIdx(string path, int[] shape, byte[] data, bool gzip = false, byte magicType = 0x08)
    {
        using var file = File.Create(path);
        using Stream stream = gzip ? new GZipStream(file, CompressionLevel.Fastest) : file;
        stream.Write([0, 0, magicType, (byte)shape.Length]);
        Span<byte> dimension = stackalloc byte[4];
        foreach (int size in shape)
        {
            BinaryPrimitives.WriteInt32BigEndian(dimension, size);
            stream.Write(dimension);
        }
        stream.Write(data);
    }

    /// <summary>Three 2×3 images whose pixel values encode (image, position), and their labels.</summary>
    private static void WriteTinySet(string folder, string prefix, byte[] labels, bool gzip, string suffix = "")
    {
        var pixels = new byte[labels.Length * 6];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)(10 * (i / 6) + i % 6);
        WriteIdx(Path.Combine(folder, $"{prefix}-images-idx3-ubyte{suffix}"), [labels.Length, 2, 3], pixels, gzip);
        WriteIdx(Path.Combine(folder, $"{prefix}-labels-idx1-ubyte{suffix}"), [labels.Length], labels, gzip);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadsImagesAndLabelsRawAndGzipped(bool gzip)
    {
        using var temp = new TempFolder();
        WriteTinySet(temp.Path, "train", [3, 0, 7], gzip, gzip ? ".gz" : "");
        WriteTinySet(temp.Path, "t10k", [1, 2], gzip, gzip ? ".gz" : "");

        var train = DataSpec.Parse($"idx:{temp.Path}").Open(DataSplit.Train);
        var test = DataSpec.Parse($"idx:{temp.Path}").Open(DataSplit.Test);
        var all = DataSpec.Parse($"idx:{temp.Path}").Open(DataSplit.All);

        Assert.Equal((3, 2, 1, 5), (train.Count, test.Count, train.Channels, all.Count));
        var second = train.Get(1);
        Assert.Equal((2, 3, 1, 0), (second.Height, second.Width, second.Channels, second.Label));
        Assert.Equal(new byte[] { 10, 11, 12, 13, 14, 15 }, second.Pixels);
        Assert.Equal(7, train.Get(2).Label);
        Assert.Equal(2, all.Get(4).Label);
        Assert.Equal(test.Get(1).Pixels, all.Get(4).Pixels);
        Assert.Equal(10, train.Classes.Count);
    }

    [Fact]
    public void WrongMagicIsOneClearError()
    {
        using var temp = new TempFolder();
        WriteTinySet(temp.Path, "train", [1, 2, 3], gzip: false);
        WriteIdx(Path.Combine(temp.Path, "train-images-idx3-ubyte"), [3, 2, 3], new byte[18], magicType: 0x0D);
        var error = Assert.Throws<InvalidDataException>(() => IdxDataset.Open(temp.Path, DataSplit.Train));
        Assert.Contains("magic", error.Message);
        Assert.Contains("train-images-idx3-ubyte", error.Message);
    }

    [Fact]
    public void LabelOutsideTheClassesIsOneClearError()
    {
        using var temp = new TempFolder();
        WriteTinySet(temp.Path, "train", [1, 12, 3], gzip: false);
        var error = Assert.Throws<InvalidDataException>(
            () => IdxDataset.Open(temp.Path, DataSplit.Train, IdxDataset.FashionMnistClasses));
        Assert.Contains("label 12 of image 1", error.Message);
    }

    [Fact]
    public void MismatchedCountsAndTruncationAreClearErrors()
    {
        using var temp = new TempFolder();
        WriteTinySet(temp.Path, "train", [1, 2, 3], gzip: false);
        WriteIdx(Path.Combine(temp.Path, "train-labels-idx1-ubyte"), [2], [1, 2]);
        Assert.Contains("3 images but 2 labels",
            Assert.Throws<InvalidDataException>(() => IdxDataset.Open(temp.Path, DataSplit.Train)).Message);

        WriteIdx(Path.Combine(temp.Path, "train-labels-idx1-ubyte"), [5], [1, 2, 3]);
        Assert.Contains("truncated",
            Assert.Throws<InvalidDataException>(() => IdxDataset.Open(temp.Path, DataSplit.Train)).Message);
    }

    [Fact]
    public void OtherNamingSchemesAreFoundAndAmbiguityIsAnError()
    {
        using var temp = new TempFolder();
        WriteTinySet(temp.Path, "emnist-letters-test", [1, 2], gzip: true, ".gz");
        Assert.Equal(2, IdxDataset.Open(temp.Path, DataSplit.Test).Count);

        WriteTinySet(temp.Path, "emnist-digits-test", [1, 2, 3], gzip: false);
        var error = Assert.Throws<InvalidDataException>(() => IdxDataset.Open(temp.Path, DataSplit.Test));
        Assert.Contains("emnist-digits-test-images-idx3-ubyte, emnist-letters-test-images-idx3-ubyte", error.Message);
    }

    [Fact]
    public void MissingFilesNameWhatIsExpected()
    {
        using var temp = new TempFolder();
        var error = Assert.Throws<FileNotFoundException>(() => IdxDataset.Open(temp.Path, DataSplit.Test));
        Assert.Contains("t10k-images-idx3-ubyte", error.Message);
    }

    [Fact]
    public void FashionMnistFromTheDebianPackage()
    {
        var clock = Stopwatch.StartNew();
        var train = DataSpec.Parse("fashion-mnist").Open(DataSplit.Train);
        var test = DataSpec.Parse("fashion-mnist").Open(DataSplit.Test);
        output.WriteLine($"{train.Description}; {test.Description}; loaded in {clock.ElapsedMilliseconds} ms");

        Assert.Equal((60000, 10000, 1), (train.Count, test.Count, train.Channels));
        Assert.Equal(IdxDataset.FashionMnistClasses, train.Classes);
        var first = train.Get(0);
        Assert.Equal((28, 28, 784), (first.Height, first.Width, first.Pixels.Length));
        // The dataset is balanced: 6000 train and 1000 test images per class.
        Assert.All(Enumerable.Range(0, train.Count).GroupBy(i => train.Get(i).Label), g => Assert.Equal(6000, g.Count()));
        Assert.All(Enumerable.Range(0, test.Count).GroupBy(i => test.Get(i).Label), g => Assert.Equal(1000, g.Count()));
        Assert.Equal(9, first.Label); // the first training image is an ankle boot
    }
}
