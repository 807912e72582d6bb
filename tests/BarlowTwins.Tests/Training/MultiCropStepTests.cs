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

/// <summary>The pre-training step with multi-crop's small views, and without them.</summary>
[Collection(SerialTorchRandom.Name)]
public sealed class MultiCropStepTests
{
    private readonly ITestOutputHelper _output;

    public MultiCropStepTests(ITestOutputHelper output)
    {
        Torch.Ensure();
        _output = output;
    }

    private static readonly PretrainOptions Options = TinyRun.Options("unused");
    private static readonly BarlowTwinsLoss Loss = new(RedundancyWeight.Auto);

    private static (TwinNetwork Twin, IOptimizer Optimizer) Twin()
    {
        torch.manual_seed(1);
        var twin = new TwinNetwork(new ResNet(Options.BackboneOptions()), Options.Projector);
        return (twin, OptimizerKinds.Create(Options, ParameterGroups.Of(twin.parameters())));
    }

    // K = 0: the step is the paper's two-view step, written out here by hand, to the bit.
    [Fact]
    public void WithoutSmallViewsTheStepIsThePapersTwoViewStep()
    {
        var (twin, optimizer) = Twin();
        var (reference, referenceOptimizer) = Twin();
        using var step = new PretrainingStep(twin, Loss, optimizer);
        foreach (var batch in TinyRun.Data().Epoch(0, 0))
        {
            using (batch)
            {
                step.Run(batch, (0.1, 0.01), diagnose: false);
                using var scope = NewDisposeScope();
                referenceOptimizer.ZeroGrad();
                Loss.Forward(reference.forward(batch.ViewA), reference.forward(batch.ViewB)).Loss.backward();
                referenceOptimizer.SetLearningRates(0.1, 0.01);
                referenceOptimizer.Step();
            }
        }
        var expected = reference.state_dict();
        foreach (var (name, tensor) in twin.state_dict())
            Assert.True(tensor.equal(expected[name]).all().item<bool>(), $"{name} differs from the two-view step");
    }

    // K = 2: the step's gradient is that of MultiCropLoss's definition through plain autograd
    // (each view's own C, Terms, the mean over the five pairs), with the small views as one
    // batch. Float32 with other summation orders: 1e-4 of each gradient's largest entry.
    [Fact]
    public void SmallViewGradientsEqualAutogradOfTheDefinition()
    {
        (int, int)[] pairs = [(0, 1), (0, 2), (1, 2), (0, 3), (1, 3)];
        AssertStepGradientsEqualAutograd(MultiCropLoss.GlobalPairing,
            z => stack(pairs.Select(p => Loss.Terms(BarlowTwinsLoss.CrossCorrelation(z[p.Item1], z[p.Item2])).Loss).ToArray()).mean());
    }

    // The mean pairing through the step: every view against the mean of the four views'
    // embeddings, z̄ carrying gradient back through the twin, as MultiCropLoss defines it.
    [Fact]
    public void MeanPairingGradientsEqualAutogradOfTheDefinition() =>
        AssertStepGradientsEqualAutograd(MultiCropLoss.MeanPairing, z =>
        {
            var mean = stack(z).mean([0]);
            return stack(z.Select(v => Loss.Terms(BarlowTwinsLoss.CrossCorrelation(v, mean)).Loss).ToArray()).mean();
        });

    // One step at zero rates (the weights stay, the gradients remain) on a K = 2 batch against
    // `definition` of the views' embeddings [zA, zB, z_l1, z_l2] through plain autograd.
    private void AssertStepGradientsEqualAutograd(string pairing, Func<Tensor[], Tensor> definition)
    {
        var (twin, optimizer) = Twin();
        using var step = new PretrainingStep(twin, Loss, optimizer, viewPairing: pairing);
        using var batch = new SyntheticTwoViews(1, 8, 3, 8) { LocalCount = 2 }.Epoch(0, 0).Single();
        var result = step.Run(batch, (0.0, 0.0), diagnose: true);
        var fromStep = twin.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.clone());

        foreach (var p in twin.parameters()) p.grad?.zero_();
        var smalls = twin.forward(batch.Locals!.flatten(0, 1)).chunk(2);
        var loss = definition([twin.forward(batch.ViewA), twin.forward(batch.ViewB), .. smalls]);
        loss.backward();

        Assert.True(Compare.Relative(result.Loss, loss.item<float>()) < 1e-5, $"loss {result.Loss} vs {loss.item<float>()}");
        foreach (var (name, parameter) in twin.named_parameters())
        {
            double error = Compare.RelativeMax(fromStep[name], parameter.grad!);
            _output.WriteLine($"{name}: {error:E2}");
            Assert.True(error <= 1e-4, $"{name}: gradients differ by {error} of the largest entry");
        }
    }

    // Eval-mode batch-norm makes every sample's embedding independent of its micro-batch, so the
    // micro-batched multi-crop step must give the one-shot step's update.
    [Fact]
    public void MicroBatchedSmallViewsGiveTheOneShotUpdate()
    {
        var data = new SyntheticTwoViews(1, 8, 3, 8) { LocalCount = 3 };
        Dictionary<string, Tensor> Updated(int? microBatch)
        {
            var (twin, optimizer) = Twin();
            twin.eval();
            using var step = new PretrainingStep(twin, Loss, optimizer, microBatch: microBatch);
            using var batch = data.Epoch(0, 0).Single();
            step.Run(batch, (0.1, 0.01), diagnose: false);
            return twin.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        }
        var oneShot = Updated(null);
        foreach (var (name, tensor) in Updated(3))
            Assert.True(Compare.RelativeMax(tensor, oneShot[name]) <= 1e-5, $"{name} differs in micro-batches");
    }
}
