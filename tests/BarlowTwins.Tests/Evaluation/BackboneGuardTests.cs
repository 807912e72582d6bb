using BarlowTwins.Evaluation;
using BarlowTwins.Models;
using BarlowTwins.Tests.Support;
using static TorchSharp.torch;

namespace BarlowTwins.Tests.Evaluation;

public class BackboneGuardTests
{
    public BackboneGuardTests() => Torch.Ensure();

    private static ResNet Tiny() => new(new ResNetOptions(ResNetArchitecture.ResNet18, 1, CifarStem: true, Width: 4));

    [Fact]
    public void UnchangedBackbonePasses()
    {
        using var backbone = Tiny();
        var guard = BackboneGuard.Watch(backbone);
        backbone.eval();
        using (no_grad()) backbone.forward(randn(2, 1, 8, 8)).Dispose();
        Assert.Equal(guard.Before, guard.Verify());
    }

    [Fact]
    public void OneChangedWeightIsCaught()
    {
        using var backbone = Tiny();
        var guard = BackboneGuard.Watch(backbone);
        using (no_grad())
        {
            var weight = backbone.parameters().Last();
            weight.view(-1)[0].add_(1e-6f);   // one float, one ulp-scale step
        }
        var error = Assert.Throws<InvalidOperationException>(() => guard.Verify());
        Assert.Contains("changed", error.Message);
    }

    [Fact]
    public void TrainModeForwardIsCaught()
    {
        // A forward pass in train mode updates BN running statistics: the guard must see it.
        using var backbone = Tiny();
        var guard = BackboneGuard.Watch(backbone);
        backbone.train();
        using (no_grad()) backbone.forward(randn(4, 1, 8, 8)).Dispose();
        Assert.Throws<InvalidOperationException>(() => guard.Verify());
    }
}
