using System.Globalization;
using BarlowTwins.Data;
using BarlowTwins.Evaluation;
using BarlowTwins.Interop;
using BarlowTwins.Tests.Interop;
using static TorchSharp.torch;

namespace BarlowTwins.Tests.Evaluation;

/// <summary>barlow embed end to end on synthetic images with a small backbone folder.</summary>
public class EmbeddingsTests : TempFolderTest
{
    [Fact]
    public void EmbedWritesFeaturesLabelsAndCsvThatAgree()
    {
        using (var backbone = TestBackbones.Create("resnet18", 3, cifarStem: true, width: 4, size: 16))
            BackboneFile.Save(Path.Combine(Folder, "backbone"), backbone);
        const string data = "synthetic?count=12&test-count=6&size=16&channels=3&seed=3";
        var files = Embeddings.Run(new EmbedOptions(Path.Combine(Folder, "backbone"), data, Path.Combine(Folder, "out", "emb.npy"),
                                                    DataSplit.Test, BatchSize: 4), TextWriter.Null);

        Assert.Equal(["emb.npy", "emb.labels.npy", "emb.csv"], files.Select(Path.GetFileName));
        using var features = Npy.Load(files[0]);
        using var labels = Npy.Load(files[1]);
        var source = DataSpec.Parse(data).Open(DataSplit.Test);
        Assert.Equal(new long[] { 6, 32 }, features.shape);
        Assert.Equal(Enumerable.Range(0, 6).Select(i => (long)source.Get(i).Label), labels.data<long>().ToArray());
        Assert.True(features.std().item<float>() > 0.01, "features should vary between images");

        var rows = File.ReadAllLines(files[2]);
        Assert.Equal(7, rows.Length);
        Assert.StartsWith("label,class,f0,f1,", rows[0]);
        var first = rows[1].Split(',');
        Assert.Equal(source.Classes[source.Get(0).Label], first[1]);
        var csvFeatures = first[2..].Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(features[0].data<float>().ToArray(), csvFeatures); // "R" formatting round-trips exactly
    }
}
