using BarlowTwins.Loss;
using BarlowTwins.Models;
using BarlowTwins.Tests.Support;
using BarlowTwins.Training;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace BarlowTwins.Tests.Training;

/// <summary>The micro-batched step gives the full batch's gradient, not an accumulation of micro-batch losses.</summary>
public class MicroBatchStepTests(ITestOutputHelper output)
{
    // Both sides are float32 sums of the same terms in a different order (per micro-batch vs whole batch).
    private const double Tolerance = 1e-5; // max |Δgrad| / max |grad|, per parameter tensor

    private const int Batch = 22;

    [Theory]
    [InlineData(5)]  // chunks 5-5-5-5-2
    [InlineData(3)]  // chunks 3 × 7 + 1: a last micro-batch of one sample
    [InlineData(22)] // one shot
    public void MicroBatchGradientEqualsFullBatchGradientWithEvalModeNorm(int microBatch)
    {
        Torch.Ensure();
        using var scope = NewDisposeScope();
        var twin = TinyTwin();
        twin.eval(); // every BN an affine map: each sample's embedding is independent of its micro-batch
        var (viewA, viewB) = Views();
        var loss = new BarlowTwinsLoss();

        var expected = loss.Forward(twin.call(viewA), twin.call(viewB));
        expected.Loss.backward();
        var reference = Gradients(twin);

        twin.zero_grad();
        var terms = MicroBatchStep.Run(twin, loss.Forward, viewA, viewB, microBatch);

        Assert.True(Compare.Relative(terms.Loss.item<float>(), expected.Loss.item<float>()) < Tolerance);
        double worst = WorstGradientError(twin, reference);
        output.WriteLine($"micro-batch {microBatch}: max relative parameter-gradient difference {worst:E2}");
        Assert.True(worst < Tolerance, $"gradient differs by {worst:E2} (relative)");
    }

    [Fact]
    public void MicroBatchWithTrainingModeNormIsGhostBatchNormAndUpdatesRunningStatsOnce()
    {
        Torch.Ensure();
        using var scope = NewDisposeScope();
        const int microBatch = 8; // 8-8-6
        var twin = TinyTwin();
        var (viewA, viewB) = Views();
        var loss = new BarlowTwinsLoss();
        var initial = twin.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());

        // Reference: each micro-batch normalised by its own statistics, all in one graph.
        var ghostA = cat(Chunks(viewA, microBatch).Select(twin.call).ToList(), 0);
        var ghostB = cat(Chunks(viewB, microBatch).Select(twin.call).ToList(), 0);
        loss.Forward(ghostA, ghostB).Loss.backward();
        var reference = Gradients(twin);
        var referenceBuffers = twin.named_buffers().ToDictionary(b => b.name, b => b.buffer.clone());

        twin.load_state_dict(initial);
        twin.zero_grad();
        MicroBatchStep.Run(twin, loss.Forward, viewA, viewB, microBatch);

        double worst = WorstGradientError(twin, reference);
        output.WriteLine($"training-mode BN, micro-batch {microBatch}: max relative difference to ghost-BN gradient {worst:E2}");
        Assert.True(worst < Tolerance, $"gradient differs from ghost batch-norm by {worst:E2}");
        foreach (var (name, buffer) in twin.named_buffers())
            Assert.True(Compare.AbsoluteMax(buffer, referenceBuffers[name]) < 1e-6, $"{name} was not updated exactly once per micro-batch");
    }

    [Fact]
    public void MicroBatchStepLeavesNoTensorsBehind()
    {
        Torch.Ensure();
        using var scope = NewDisposeScope();
        var twin = TinyTwin();
        var (viewA, viewB) = Views();
        var loss = new BarlowTwinsLoss();
        Step(); // first step: gradients come into being
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int i = 0; i < 3; i++) Step();
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);

        void Step()
        {
            using var step = NewDisposeScope();
            twin.zero_grad();
            MicroBatchStep.Run(twin, loss.Forward, viewA, viewB, 8);
        }
    }

    /// <summary>ResNet-18 at width 4 on 8 × 8 grey images, projector 32-16; residual γ not zeroed so every layer gets a gradient.</summary>
    internal static TwinNetwork TinyTwin(long seed = 7)
    {
        manual_seed(seed);
        return new TwinNetwork(new ResNet(new ResNetOptions(ResNetArchitecture.ResNet18, 1, CifarStem: true, Width: 4, ZeroInitResidual: false)),
                               ProjectorSpec.Parse("32-16"));
    }

    private static (Tensor A, Tensor B) Views()
    {
        var generator = new Generator(123);
        return (randn(Batch, 1, 8, 8, generator: generator), randn(Batch, 1, 8, 8, generator: generator));
    }

    private static IEnumerable<Tensor> Chunks(Tensor view, int size) =>
        Enumerable.Range(0, (int)((view.shape[0] + size - 1) / size))
                  .Select(i => view.narrow(0, i * size, Math.Min(size, view.shape[0] - i * size)));

    private static Dictionary<string, Tensor> Gradients(nn.Module module) =>
        module.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.clone());

    private static double WorstGradientError(nn.Module module, Dictionary<string, Tensor> reference) =>
        module.named_parameters().Max(p => Compare.RelativeMax(p.parameter.grad!, reference[p.name]));
}
