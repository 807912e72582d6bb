using BarlowTwins.Data;

namespace BarlowTwins.Tests.Data;

public sealed class CifarDatasetTests
{
    /// <summary>A record whose R, G, B planes are filled with (seed, seed+1, seed+2) plus the pixel index mod 7.</summary>
    private static byte[] Record(byte[] labelBytes, int seed)
    {
        var record = new byte[labelBytes.Length + 3072];
        labelBytes.CopyTo(record, 0);
        for (int channel = 0; channel < 3; channel++)
            for (int pixel = 0; pixel < 1024; pixel++)
                record[labelBytes.Length + channel * 1024 + pixel] = (byte)(seed + channel + pixel % 7);
        return record;
    }

    private static void WriteRecords(string path, params byte[][] records) =>
        File.WriteAllBytes(path, [.. records.SelectMany(record => record)]);

    [Fact]
    public void Cifar10BatchesBecomeInterleavedImages()
    {
        using var temp = new TempFolder();
        var folder = Path.Combine(temp.Path, "cifar-10-batches-bin");
        Directory.CreateDirectory(folder);
        for (int batch = 1; batch <= 5; batch++)
            WriteRecords(Path.Combine(folder, $"data_batch_{batch}.bin"), Record([(byte)batch], 10 * batch), Record([0], 100));
        WriteRecords(Path.Combine(folder, "test_batch.bin"), Record([9], 50));

        var train = DataSpec.Parse($"cifar10:{temp.Path}").Open(DataSplit.Train);
        var test = DataSpec.Parse($"cifar10:{folder}").Open(DataSplit.Test);

        Assert.Equal((10, 1, 3), (train.Count, test.Count, train.Channels));
        Assert.Equal(CifarDataset.Cifar10Classes, train.Classes);
        var third = train.Get(2); // first record of data_batch_2
        Assert.Equal((32, 32, 2), (third.Height, third.Width, third.Label));
        // pixel 8 (row 0, column 8): planes hold 20 + c + 8 mod 7 = 21, 22, 23
        Assert.Equal(new byte[] { 21, 22, 23 }, third.Pixels[(3 * 8)..(3 * 8 + 3)]);
        Assert.Equal(9, test.Get(0).Label);
    }

    [Fact]
    public void Cifar100UsesFineLabelsAndNames()
    {
        using var temp = new TempFolder();
        WriteRecords(temp.File("train.bin"), Record([3, 42], 0), Record([19, 99], 1));
        WriteRecords(temp.File("test.bin"), Record([0, 7], 2));
        File.WriteAllLines(temp.File("fine_label_names.txt"), Enumerable.Range(0, 100).Select(i => $"class{i}"));

        var train = DataSpec.Parse($"cifar100:{temp.Path}").Open(DataSplit.Train);
        var all = DataSpec.Parse($"cifar100:{temp.Path}").Open(DataSplit.All);

        Assert.Equal(new[] { 42, 99 }, new[] { train.Get(0).Label, train.Get(1).Label });
        Assert.Equal(("class42", 3), (train.Classes[42], all.Count));
        Assert.Equal(7, all.Get(2).Label);
    }

    [Fact]
    public void TruncatedFileIsOneClearError()
    {
        using var temp = new TempFolder();
        WriteRecords(temp.File("train.bin"), Record([3, 42], 0));
        File.WriteAllBytes(temp.File("test.bin"), new byte[100]);
        var error = Assert.Throws<InvalidDataException>(() => CifarDataset.OpenCifar100(temp.Path, DataSplit.Test));
        Assert.Contains("not a whole number of 3074-byte records", error.Message);
    }

    [Fact]
    public void LabelOutsideTheClassesIsOneClearError()
    {
        using var temp = new TempFolder();
        WriteRecords(temp.File("test_batch.bin"), Record([10], 0));
        var error = Assert.Throws<InvalidDataException>(() => CifarDataset.OpenCifar10(temp.Path, DataSplit.Test));
        Assert.Contains("label 10", error.Message);
    }
}
