using BarlowTwins.Augment;
using BarlowTwins.Data;
using BarlowTwins.Tests.Support;
using Xunit.Abstractions;

namespace BarlowTwins.Tests.Data;

/// <summary>The closing demonstration: real photos salted with broken files, read for a whole epoch of two-view batches.</summary>
public sealed class SaltedFolderTests(ITestOutputHelper output)
{
    [Fact]
    public void AnEpochOverASaltedFolderFinishesAndReportsTheBrokenFiles()
    {
        Torch.Ensure();
        using var temp = new TempFolder();
        var broken = SamplePhotos.WriteSaltedFolder(temp);
        var report = new DataReport();
        var source = DataSpec.Parse($"folder:{temp.Path}").Open(DataSplit.All, report);
        // The paper's views at 64 px keep the test fast; the pipeline is the same as at 224 px.
        var transform = new TwoViewTransform(TwoViewRecipe.ImageNet with { Size = 64 }, parallelism: 1);
        var loader = new BatchLoader<TwoViewBatch>(source, transform, new LoaderOptions(BatchSize: 4, Seed: 1, DropLast: false, Workers: 2));

        var labels = new List<long>();
        foreach (var batch in loader.Epoch(0))
            using (batch)
            {
                Assert.Equal([batch.Count, 3, 64, 64], batch.ViewA.shape);
                Assert.True(batch.ViewB.isfinite().all().item<bool>());
                labels.AddRange(batch.Labels.data<long>().ToArray());
            }

        output.WriteLine(source.Description);
        output.WriteLine(report.Format());
        Assert.Equal([0, 0, 1, 1, 2, 2], labels.Order());
        Assert.Equal(broken.Order(StringComparer.Ordinal), report.Skipped.Select(s => s.Path).Order(StringComparer.Ordinal));
    }
}
