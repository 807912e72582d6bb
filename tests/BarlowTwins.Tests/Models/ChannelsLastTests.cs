using BarlowTwins.Models;
using BarlowTwins.Tests.Support;
using BarlowTwins.Training.Checkpoints;
using static TorchSharp.torch;

namespace BarlowTwins.Tests.Models;

public sealed class ChannelsLastTests
{
    public ChannelsLastTests() => Torch.Ensure();

    private static ResNet Tiny() => new(new ResNetOptions(ResNetArchitecture.ResNet18, CifarStem: true, Width: 4));

    [Fact]
    public void OfKeepsShapeAndValuesAndChangesOnlyTheStrides()
    {
        using var images = arange(2 * 3 * 4 * 5, dtype: ScalarType.Float32).reshape(2, 3, 4, 5);
        using var stored = ChannelsLast.Of(images);
        Assert.Equal(images.shape, stored.shape);
        Assert.Equal([60L, 1, 15, 3], stored.stride());
        Assert.True(ChannelsLast.Holds(stored) && !ChannelsLast.Holds(images));
        Assert.True(stored.equal(images).all().item<bool>());
    }

    // TorchSharp's Module.save writes raw bytes and throws on other layouts: the export returns
    // the backbone to NCHW first, and the file loads back to exactly the same weights.
    [Fact]
    public void ChannelsLastBackboneSavesAndLoadsUnchanged()
    {
        using var backbone = Tiny();
        ChannelsLast.Apply(backbone);
        var expected = backbone.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        using var temp = new TempFolder();
        string folder = temp.Path;
        using var loaded = Tiny();
        loaded.load(BackboneExport.Save(backbone, folder));
        foreach (var (name, tensor) in loaded.state_dict())
            Assert.True(tensor.equal(expected[name]).all().item<bool>(), $"{name} changed through the file");
    }
}
