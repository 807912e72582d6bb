using BarlowTwins.Models;
using BarlowTwins.Tests.Support;
using static TorchSharp.torch;

namespace BarlowTwins.Tests.Models;

/// <summary>The projector's layout, names and size, and the twin's per-view batches.</summary>
public class ProjectorTests
{
    [Fact]
    public void PaperProjectorOnResNet50Has151MParameters()
    {
        Torch.Ensure();
        using var projector = new Projector(2048, ProjectorSpec.Paper);
        // 2048·8192 + 2·8192 (BN) + 8192² + 2·8192 (BN) + 8192², no biases in the linears.
        Assert.Equal(151_027_712, projector.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void KeysFollowTheAuthorsSequential()
    {
        Torch.Ensure();
        using var projector = new Projector(16, ProjectorSpec.Parse("32-32-8"));
        var keys = projector.state_dict().Keys.Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(new[]
        {
            "0.weight", "1.bias", "1.num_batches_tracked", "1.running_mean", "1.running_var", "1.weight",
            "3.weight", "4.bias", "4.num_batches_tracked", "4.running_mean", "4.running_var", "4.weight",
            "6.weight",
        }, keys);
        Assert.Equal(8, projector.Spec.OutputDim);
    }

    [Fact]
    public void TwinEmbedsEachViewAsItsOwnBatch()
    {
        Torch.Ensure();
        using var scope = NewDisposeScope();
        var twin = new TwinNetwork(new ResNet(new ResNetOptions(ResNetArchitecture.ResNet18, 1, true, Width: 8)),
                                   ProjectorSpec.Parse("32-16"));
        var a = randn(4, 1, 16, 16);
        var b = randn(4, 1, 16, 16);
        var (zA, zB) = twin.Embed(a, b);
        Assert.Equal(new long[] { 4, 16 }, zA.shape);
        // Per-view BN statistics: embedding view A alone gives the same zA as embedding it beside B.
        Assert.True(zA.allclose(twin.call(a), 1e-5, 1e-6));
        Assert.StartsWith("backbone.", twin.state_dict().Keys.First());
        Assert.Contains("projector.0.weight", twin.state_dict().Keys);
    }

    [Theory]
    [InlineData("")]
    [InlineData("8192-x")]
    [InlineData("0-8")]
    public void BadSpecsAreRefused(string spec) => Assert.Throws<FormatException>(() => ProjectorSpec.Parse(spec));
}
