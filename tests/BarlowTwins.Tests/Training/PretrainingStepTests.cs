using BarlowTwins.Loss;
using BarlowTwins.Models;
using BarlowTwins.Optim;
using BarlowTwins.Tests.Support;
using BarlowTwins.Training;
using BarlowTwins.Training.Options;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace BarlowTwins.Tests.Training;

[Collection(SerialTorchRandom.Name)]
public sealed class PretrainingStepTests
{
    private readonly ITestOutputHelper _output;

    public PretrainingStepTests(ITestOutputHelper output)
    {
        Torch.Ensure();
        _output = output;
    }

    private static (TwinNetwork Twin, PretrainingStep Step) Build(bool bf16 = false, int? microBatch = null, bool channelsLast = false)
    {
        var options = TinyRun.Options("unused");
        torch.manual_seed(1);
        TwinNetwork Twin() => new(new ResNet(options.BackboneOptions()), options.Projector);
        var twin = Twin();
        var optimizer = OptimizerKinds.Create(options, ParameterGroups.Of(twin.parameters()));
        return (twin, new PretrainingStep(twin, new BarlowTwinsLoss(RedundancyWeight.Auto), optimizer, bf16 ? Twin() : null, microBatch,
                                            channelsLast: channelsLast));
    }

    private static Dictionary<string, Tensor> Snapshot(TwinNetwork twin) =>
        twin.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void NonFiniteLossSkipsTheUpdateAndLeavesEveryTensorAlone(bool bf16)
    {
        var (twin, step) = Build(bf16);
        var before = Snapshot(twin);
        var data = new SyntheticTwoViews(1, 8, 3, 8) { PoisonedBatch = 0 };
        using var batch = data.Epoch(0, 0).Single();
        var result = step.Run(batch, (0.1, 0.01), diagnose: false);
        Assert.True(result.Skipped);
        foreach (var (name, tensor) in twin.state_dict())
            Assert.True(tensor.equal(before[name]).all().item<bool>(), $"{name} changed on a skipped step");
    }

    [Fact]
    public void FiniteStepUpdatesAndReportsDiagnostics()
    {
        var (twin, step) = Build();
        var before = Snapshot(twin);
        using var batch = TinyRun.Data().Epoch(0, 0).First();
        var result = step.Run(batch, (0.1, 0.01), diagnose: true);
        Assert.False(result.Skipped);
        Assert.True(result.Loss > 0 && double.IsFinite(result.GradientNorm) && result.GradientNorm > 0);
        Assert.False(twin.state_dict()["projector.0.weight"].equal(before["projector.0.weight"]).all().item<bool>());
        var d = result.Diagnostics!;
        // Effective rank of an 8 × 32 embedding is at most 8 (the batch); a C entry lies in [−1, 1].
        Assert.InRange(d.EffectiveRank, 1, 8.0001);
        Assert.InRange(d.DiagonalMean, -1, 1);
        Assert.Equal(32 * 32, result.CorrelationBlock!.Length);
    }

    // The step takes its gradient from the blocked loss (BarlowTwinsLoss.Forward); it must be the
    // gradient of the paper's equation as written (CrossCorrelation + Terms through plain autograd).
    // Float32 with different summation orders: agreement to 1e-4 of the largest gradient entry.
    [Fact]
    public void StepGradientsEqualThePlainAutogradPath()
    {
        var (twin, step) = Build();
        using var batch = TinyRun.Data().Epoch(0, 0).First();
        var result = step.Run(batch, (0.0, 0.0), diagnose: true); // zero rates: weights stay, gradients remain
        var fromStep = twin.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.clone());

        foreach (var p in twin.parameters()) p.grad?.zero_();
        var (zA, zB) = twin.Embed(batch.ViewA, batch.ViewB);
        var terms = new BarlowTwinsLoss(RedundancyWeight.Auto).Terms(BarlowTwinsLoss.CrossCorrelation(zA, zB));
        terms.Loss.backward();

        Assert.Equal(terms.Loss.item<float>(), result.Loss, 4);
        Assert.Equal(terms.Invariance.item<float>(), result.Invariance, 4);
        foreach (var (name, parameter) in twin.named_parameters())
        {
            var expected = parameter.grad!;
            double scale = Math.Max(expected.abs().max().item<float>(), 1e-6);
            double difference = (fromStep[name] - expected).abs().max().item<float>();
            Assert.True(difference <= 1e-4 * scale, $"{name}: gradients differ by {difference} (largest entry {scale})");
        }
    }

    // Channels-last changes only the strides the convolutions see, so the loss, the gradients and
    // the updated weights are those of NCHW up to float32 rounding: other oneDNN kernels sum in
    // another order. 1e-4 of the largest entry of each tensor (the loss: 1e-5 relative).
    [Fact]
    public void ChannelsLastGivesTheLossGradientsAndUpdateOfNchw()
    {
        var (nchw, nchwStep) = Build();
        var (channelsLast, channelsLastStep) = Build(channelsLast: true);
        using var batch = TinyRun.Data().Epoch(0, 0).First();
        var expected = nchwStep.Run(batch, (0.1, 0.01), diagnose: false);
        var actual = channelsLastStep.Run(batch, (0.1, 0.01), diagnose: false);

        Assert.True(Math.Abs(actual.Loss - expected.Loss) <= 1e-5 * Math.Abs(expected.Loss), $"loss {actual.Loss} vs {expected.Loss}");
        var reference = nchw.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, parameter) in channelsLast.named_parameters())
        {
            if (parameter.dim() == 4) Assert.True(ChannelsLast.Holds(parameter) && ChannelsLast.Holds(parameter.grad!), $"{name} is not channels-last");
            double gradient = Compare.RelativeMax(parameter.grad!, reference[name].grad!);
            double weight = Compare.RelativeMax(parameter, reference[name]);
            _output.WriteLine($"{name}: gradient {gradient:E2}, weight {weight:E2}");
            Assert.True(gradient <= 1e-4 && weight <= 1e-4, $"{name}: gradient differs by {gradient}, weight by {weight} of the largest entry");
        }
    }

    // The bf16 shadow gets the layout too, and the master's gradients come back in it.
    [Fact]
    public void ChannelsLastSurvivesTheBf16Shadow()
    {
        var (twin, step) = Build(bf16: true, channelsLast: true);
        using var batch = TinyRun.Data().Epoch(0, 0).First();
        Assert.False(step.Run(batch, (0.1, 0.01), diagnose: false).Skipped);
        foreach (var (name, parameter) in twin.named_parameters().Where(p => p.parameter.dim() == 4))
            Assert.True(ChannelsLast.Holds(parameter) && ChannelsLast.Holds(parameter.grad!), $"{name} is not channels-last after a bf16 step");
    }

    // Memory must stay flat over a long run: after warm-up, steps leave no live tensor behind.
    // --micro-batch: with eval-mode batch-norm every sample's embedding is the same whichever
    // micro-batch it is in, so two LARS steps in micro-batches of 3 (8 = 3 + 3 + 2) must land on the
    // parameters of two one-shot steps. Float32 sums in another order: 1e-5 of the largest entry.
    [Fact]
    public void MicroBatchStepsEqualOneShotStepsWithEvalModeBatchNorm()
    {
        var (oneShotTwin, oneShot) = Build();
        var (microTwin, micro) = Build(microBatch: 3);
        oneShotTwin.eval();
        microTwin.eval();
        var data = TinyRun.Data();
        foreach (var batch in data.Epoch(0, 0).Take(2))
        {
            using (batch)
            {
                var expected = oneShot.Run(batch, (0.5, 0.01), diagnose: true);
                var actual = micro.Run(batch, (0.5, 0.01), diagnose: true);
                Assert.Equal(expected.Loss, actual.Loss, 4);
                Assert.Equal(expected.Diagnostics!.EffectiveRank, actual.Diagnostics!.EffectiveRank, 3);
            }
        }
        using var expectedParameters = cat(oneShotTwin.parameters().Select(p => p.detach().flatten()).ToList(), 0);
        using var actualParameters = cat(microTwin.parameters().Select(p => p.detach().flatten()).ToList(), 0);
        double worst = Compare.RelativeMax(actualParameters, expectedParameters);
        _output.WriteLine($"MicroBatch: max relative parameter difference after 2 steps: {worst:E2}");
        Assert.True(worst < 1e-5, $"parameters differ by {worst:E2} (relative)");
    }

    [Theory]
    [InlineData(false, null)]
    [InlineData(true, null)]
    [InlineData(false, 3)]
    public void StepsLeaveNoLiveTensors(bool bf16, int? microBatch)
    {
        var (_, step) = Build(bf16, microBatch);
        var data = TinyRun.Data();
        void RunEpoch()
        {
            foreach (var batch in data.Epoch(0, 0))
                using (batch) step.Run(batch, (0.1, 0.01), diagnose: true);
        }
        RunEpoch(); // momentum buffers and gradients are created on the first steps
        long live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        RunEpoch();
        RunEpoch();
        Assert.Equal(live, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void EffectiveRankOfIsotropicEmbeddingsIsTheirWidth()
    {
        // Orthonormal columns: all singular values equal, entropy log D, so the rank is exactly D.
        using var q = linalg.qr(randn(64, 16)).Q;
        Assert.Equal(16, CollapseDiagnostics.EffectiveRankOf(q), 3);
        using var rankOne = ones(64, 16);
        Assert.Equal(1, CollapseDiagnostics.EffectiveRankOf(rankOne), 3);
    }
}
