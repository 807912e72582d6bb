using BarlowTwins.Loss;
using BarlowTwins.Models;
using BarlowTwins.Optim;
using BarlowTwins.Tests.Support;
using BarlowTwins.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace BarlowTwins.Tests.Training;

[Collection(SerialTorchRandom.Name)]
public sealed class PretrainingStepTests
{
    public PretrainingStepTests() => Torch.Ensure();

    private static (TwinNetwork Twin, PretrainingStep Step) Build(bool bf16 = false)
    {
        var options = TinyRun.Options("unused");
        torch.manual_seed(1);
        TwinNetwork Twin() => new(new ResNet(options.BackboneOptions()), options.ProjectorSpec());
        var twin = Twin();
        var optimizer = OptimizerKinds.Create(options, ParameterGroups.Of(twin.parameters()));
        return (twin, new PretrainingStep(twin, new BarlowTwinsLoss(RedundancyWeight.Auto), optimizer, bf16 ? Twin() : null));
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

    // Memory must stay flat over a long run: after warm-up, steps leave no live tensor behind.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void StepsLeaveNoLiveTensors(bool bf16)
    {
        var (_, step) = Build(bf16);
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
