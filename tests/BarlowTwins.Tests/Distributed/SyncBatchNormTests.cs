using BarlowTwins.Distributed;
using BarlowTwins.Tests.Support;
using TorchSharp.Modules;
using Xunit.Abstractions;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace BarlowTwins.Tests.Distributed;

/// <summary>On one rank, synchronised batch-norm is batch-norm: output, gradients, running statistics.</summary>
public class SyncBatchNormTests(ITestOutputHelper output)
{
    // Composite float32 operations against libtorch's fused kernel.
    private const double Tolerance = 1e-5; // max |Δ| / max |reference|

    [Theory]
    [InlineData(new long[] { 12, 5 })]
    [InlineData(new long[] { 6, 3, 4, 4 })]
    public void DistributedSyncBatchNormOnOneRankEqualsBatchNorm(long[] shape)
    {
        Torch.Ensure();
        using var scope = NewDisposeScope();
        var generator = new Generator(11); // not the global one: other test classes run in parallel
        long channels = shape[1];
        BatchNorm reference = shape.Length == 2 ? BatchNorm1d(channels) : BatchNorm2d(channels);
        var synced = new SyncBatchNorm(channels, new SingleProcess());
        using (no_grad())
        {
            reference.weight!.copy_(rand(channels, generator: generator) + 0.5);
            reference.bias!.copy_(randn(channels, generator: generator));
            synced.load_state_dict(reference.state_dict());
        }
        var x = randn(shape, generator: generator) * 3 + 1;
        var upstream = randn(shape, generator: generator);
        double worst = 0;
        for (int step = 0; step < 2; step++) // twice: running statistics after two updates
        {
            var (expectedY, expectedDx) = ForwardBackward(reference, x, upstream);
            var (actualY, actualDx) = ForwardBackward(synced, x, upstream);
            worst = Math.Max(worst, Check("output", actualY, expectedY));
            worst = Math.Max(worst, Check("input gradient", actualDx, expectedDx));
        }
        worst = Math.Max(worst, Check("weight gradient", synced.weight!.grad!, reference.weight!.grad!));
        worst = Math.Max(worst, Check("bias gradient", synced.bias!.grad!, reference.bias!.grad!));
        worst = Math.Max(worst, Check("running mean", synced.running_mean!, reference.running_mean!));
        worst = Math.Max(worst, Check("running variance", synced.running_var!, reference.running_var!));
        Assert.Equal(reference.num_batches_tracked!.item<long>(), synced.num_batches_tracked!.item<long>());
        reference.eval();
        synced.eval();
        worst = Math.Max(worst, Check("eval output", synced.call(x), reference.call(x)));
        output.WriteLine($"[{string.Join("×", shape)}]: max relative difference {worst:E2}");
    }

    private static (Tensor Output, Tensor InputGradient) ForwardBackward(Module<Tensor, Tensor> norm, Tensor x, Tensor upstream)
    {
        var input = x.clone().requires_grad_(true);
        var y = norm.call(input);
        y.backward([upstream]);
        return (y.detach(), input.grad!);
    }

    private static double Check(string what, Tensor actual, Tensor expected)
    {
        double error = Compare.RelativeMax(actual, expected);
        Assert.True(error < Tolerance, $"{what}: relative difference {error:E2}");
        return error;
    }
}
