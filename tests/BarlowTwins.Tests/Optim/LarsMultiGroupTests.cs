using BarlowTwins.Models;
using BarlowTwins.Optim;
using BarlowTwins.Tests.Support;
using TorchSharp.Modules;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace BarlowTwins.Tests.Optim;

/// <summary>
/// <see cref="Lars"/> against its formula applied one tensor at a time, written out here in
/// float32: many weights and biases of different shapes (a channels-last convolution, a zero
/// weight, a parameter without a gradient), random gradients, five steps.
/// </summary>
public class LarsMultiGroupTests(ITestOutputHelper output)
{
    private const double WeightDecay = 1.5e-3, Momentum = 0.9, Eta = 0.02, WeightRate = 0.3, BiasRate = 0.01;

    [Fact]
    public void ManyGroupsMatchThePerTensorFormula()
    {
        Torch.Ensure();
        using var scope = NewDisposeScope();
        manual_seed(7);
        long[][] shapes = [[16, 8, 3, 3], [32, 16], [5], [64, 32, 1, 1], [7], [3, 4], [32], [1, 1]];
        var ours = shapes.Select(s => new Parameter(randn(s))).ToList();
        using (no_grad()) ours[5].zero_(); // ‖w‖ = 0: trust ratio 1
        ours[0] = new Parameter(ChannelsLast.Of(ours[0].detach()));
        var expected = ours.Select(p => p.detach().clone()).ToList();
        var momenta = ours.Select(p => zeros_like(p)).ToList();
        using var lars = new Lars(ParameterGroups.Of(ours), new LarsOptions(WeightDecay, Momentum, Eta));
        lars.SetLearningRates(WeightRate, BiasRate);
        double worst = 0;
        for (int step = 0; step < 5; step++)
        {
            lars.ZeroGrad();
            for (int i = 0; i < ours.Count; i++)
            {
                if (i == 4) continue; // no gradient: left alone
                var g = randn(ours[i].shape);
                ours[i].grad = g.clone();
                PerTensor(expected[i], g, momenta[i], adapt: ours[i].dim() > 1);
            }
            lars.Step();
            for (int i = 0; i < ours.Count; i++)
            {
                double error = Compare.RelativeMax(ours[i], expected[i]);
                Assert.True(error < 1e-6, $"step {step}, parameter {i} [{string.Join(",", shapes[i])}]: {error}");
                worst = Math.Max(worst, error);
            }
        }
        output.WriteLine($"largest relative error over five steps: {worst:E2}");
    }

    // The formula of Lars' summary, one tensor at a time.
    private static void PerTensor(Tensor w, Tensor g, Tensor mu, bool adapt)
    {
        using var scope = NewDisposeScope();
        if (adapt)
        {
            var update = g + WeightDecay * w;
            float weightNorm = linalg.vector_norm(w).item<float>(), updateNorm = linalg.vector_norm(update).item<float>();
            float trust = weightNorm > 0 && updateNorm > 0 ? (float)Eta * weightNorm / updateNorm : 1f;
            mu.mul_(Momentum).add_(update * trust);
            w.add_(mu, alpha: -WeightRate);
        }
        else
        {
            mu.mul_(Momentum).add_(g);
            w.add_(mu, alpha: -BiasRate);
        }
    }
}
