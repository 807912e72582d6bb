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

        Assert.Equal(["emb.npy", "emb.labels.npy", "emb.csv"], files.Select(Path.GetFileName)); // no .paths.txt: not files
        using var features = Npy.Load(files[0]);
        using var labels = Npy.Load(files[1]);
        var source = DataSpec.Parse(data).Open(DataSplit.Test);
        Assert.Equal(new long[] { 6, 32 }, features.shape);
        Assert.Equal(Enumerable.Range(0, 6).Select(i => (long)source.Get(i).Label), labels.data<long>().ToArray());
        Assert.True(features.std().item<float>() > 0.01, "features should vary between images");

        var rows = File.ReadAllLines(files[2]);
        Assert.Equal(7, rows.Length);
        Assert.StartsWith("index,path,label,class,f0,f1,", rows[0]);
        var first = rows[1].Split(',');
        Assert.Equal(["0", "", source.Get(0).Label.ToString(CultureInfo.InvariantCulture), source.Classes[source.Get(0).Label]], first[..4]);
        var csvFeatures = first[4..].Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(features[0].data<float>().ToArray(), csvFeatures); // "R" formatting round-trips exactly
    }

    [Fact]
    public void EmbeddingsOfAPhotoFolderTraceEveryRowToItsFileAndFindItsCopies()
    {
        using (var backbone = TestBackbones.Create("resnet18", 3, cifarStem: true, width: 4, size: 32))
            BackboneFile.Save(Path.Combine(Folder, "backbone"), backbone);
        string[] classes = ["hopper", "china", "flower"];
        var photos = Path.Combine(Folder, "photos, with a comma");
        for (int c = 0; c < 3; c++)
            for (int copy = 0; copy < 2; copy++)
            {
                Directory.CreateDirectory(Path.Combine(photos, classes[c]));
                File.Copy(Data.SamplePhotos.Paths[c], Path.Combine(photos, classes[c], $"{copy}.jpg"));
            }
        var files = Embeddings.Run(new EmbedOptions(Path.Combine(Folder, "backbone"), $"folder:{photos}", Path.Combine(Folder, "photos"),
                                                    DataSplit.All, Augment: "cifar"), TextWriter.Null);

        var source = DataSpec.Parse($"folder:{photos}").Open(DataSplit.All);
        var expected = Enumerable.Range(0, 6).Select(i => source.PathOf(i)!).ToArray();
        Assert.Equal(Path.Combine(Folder, "photos.paths.txt"), files[^1]);
        Assert.Equal(expected, File.ReadAllLines(files[^1]));
        var (features, rows) = EmbeddingFiles.Of(files[0]).Load();
        using var owned = features;
        Assert.Equal(expected, rows.Select(r => r.Path)); // the CSV quotes the comma in the folder name
        Assert.Equal(Enumerable.Range(0, 6), rows.Select(r => r.Index));
        Assert.Equal(Enumerable.Range(0, 6).Select(i => source.Classes[source.Get(i).Label]), rows.Select(r => r.Class));

        int query = EmbeddingQueries.Resolve(rows, "china/0.jpg");
        Assert.Equal(Path.Combine(photos, "china", "0.jpg"), rows[query].Path);
        Assert.Equal(query, EmbeddingQueries.Resolve(rows, rows[query].Path!));
        Assert.Equal(query, EmbeddingQueries.Resolve(rows, query.ToString(CultureInfo.InvariantCulture)));
        Assert.Throws<ArgumentException>(() => EmbeddingQueries.Resolve(rows, "0.jpg")); // three files end so
        Assert.Throws<ArgumentException>(() => EmbeddingQueries.Resolve(rows, "6"));
        var nearest = Neighbours.Nearest(features, query, 1)[0];
        Assert.Equal(Path.Combine(photos, "china", "1.jpg"), rows[nearest.Index].Path); // its copy
        var pairs = Neighbours.Duplicates(features, 0.99999, 3, out long _);
        Assert.All(pairs, p => Assert.Equal(Path.GetDirectoryName(rows[p.A].Path), Path.GetDirectoryName(rows[p.B].Path)));
        Assert.Equal(3, pairs.Count);
    }
}
