using System.Diagnostics;
using BarlowTwins.Loss;
using BarlowTwins.Models;
using BarlowTwins.Optim;
using BarlowTwins.Training;
using BarlowTwins.Training.Options;
using TorchSharp;
using static TorchSharp.torch;

namespace BarlowTwins.Bench;

/// <summary>One part of a step outside the convolutions, timed alone.</summary>
/// <param name="Name">What was timed.</param>
/// <param name="Seconds">Mean seconds of that part in one step (both views where it runs per view).</param>
public sealed record PartTime(string Name, double Seconds);

/// <summary>
/// The parts of a training step other than the convolutions (<see cref="ConvCeiling"/> times those),
/// each timed alone on the step's own shapes in float32, the same way: batch-norm and ReLU forward +
/// backward on every convolution's output map, the projector and the loss forward + backward, the
/// gradient norm, the optimizer's update and its gradient zeroing on the twin's real parameters.
/// What a whole step takes beyond the convolutions and these is the rest (pooling, residual
/// additions, autograd's own bookkeeping and allocations).
/// </summary>
public static class StepParts
{
    /// <summary>Times each part of <paramref name="shape"/>'s step.</summary>
    public static IReadOnlyList<PartTime> Measure(StepShape shape, int repetitions, int warmup)
    {
        torch.InitializeDeviceType(DeviceType.CPU);
        torch.manual_seed(0);
        var options = shape.Options();
        var maps = ModelFlops.ConvLayers(options.BackboneOptions(), shape.Size);
        using var twin = options.CreateTwin(CPU);
        double Once(Action body) => Mean(body, repetitions, warmup);
        double PerView(Action body) => 2 * Once(body); // each view is its own pass
        var parts = new List<PartTime>
        {
            new("batch-norm forward + backward (after every conv)", Maps(maps, map => NormAndRelu(map, shape.Batch, relu: false, PerView))),
            new("batch-norm + ReLU forward + backward", Maps(maps, map => NormAndRelu(map, shape.Batch, relu: true, PerView))),
            new("projector forward + backward", Projector(twin.Projector, shape.Batch, twin.Backbone.FeatureDim, PerView)),
            new("loss forward + backward", LossPass(new BarlowTwinsLoss(options.Lambda), shape.Batch, shape.EmbeddingDim, Once)),
        };
        parts.AddRange(Optimizer(options, twin, repetitions, warmup));
        return parts;
    }

    /// <summary>Mean wall seconds of <paramref name="body"/>, each call in its own dispose scope.</summary>
    internal static double Mean(Action body, int repetitions, int warmup)
    {
        var clock = new Stopwatch();
        for (int i = 0; i < warmup + repetitions; i++)
        {
            using var scope = NewDisposeScope();
            if (i == warmup) clock.Start();
            body();
        }
        return clock.Elapsed.TotalSeconds / repetitions;
    }

    // Each distinct output map (channels, side) timed once, counted as often as a convolution makes it.
    private static double Maps(IEnumerable<ConvLayer> convolutions, Func<(long Channels, long Side), double> seconds) =>
        convolutions.GroupBy(c => (c.OutChannels, c.OutputSide)).Sum(g => g.Count() * seconds(g.Key));

    // Inputs and output gradients are made before the clock starts: random numbers are not part of a step.
    private static double NormAndRelu((long Channels, long Side) map, int batch, bool relu, Func<Action, double> time)
    {
        using var scope = NewDisposeScope();
        using var norm = nn.BatchNorm2d(map.Channels);
        var input = randn(batch, map.Channels, map.Side, map.Side).requires_grad_(true);
        var gradient = randn(batch, map.Channels, map.Side, map.Side);
        return time(() =>
        {
            var y = norm.call(input);
            if (relu) y = nn.functional.relu(y, inplace: true);
            y.backward([gradient]);
            input.grad = null;
            foreach (var p in norm.parameters()) p.grad = null;
        });
    }

    private static double Projector(Projector projector, int batch, int featureDim, Func<Action, double> time)
    {
        using var scope = NewDisposeScope();
        var features = randn(batch, featureDim).requires_grad_(true);
        var gradient = randn(batch, projector.Spec.Widths[^1]);
        return time(() =>
        {
            projector.call(features).backward([gradient]);
            features.grad = null;
            foreach (var p in projector.parameters()) p.grad = null;
        });
    }

    private static double LossPass(BarlowTwinsLoss loss, int batch, int dim, Func<Action, double> time)
    {
        using var scope = NewDisposeScope();
        var zA = randn(batch, dim).requires_grad_(true);
        var zB = randn(batch, dim).requires_grad_(true);
        return time(() =>
        {
            loss.Forward(zA, zB).Loss.backward();
            zA.grad = null;
            zB.grad = null;
        });
    }

    // The optimizer on the twin's own parameters, with gradients present as after a backward pass.
    private static IEnumerable<PartTime> Optimizer(PretrainOptions options, TwinNetwork twin, int repetitions, int warmup)
    {
        var parameters = twin.parameters().Where(p => p.requires_grad).ToList();
        using var optimizer = OptimizerKinds.Create(options, ParameterGroups.Of(parameters));
        optimizer.SetLearningRates(1e-6, 1e-6);
        void FillGradients()
        {
            using var _ = no_grad();
            foreach (var p in parameters) p.grad = randn_like(p).DetachFromDisposeScope();
        }
        FillGradients();
        long count = parameters.Sum(p => p.numel());
        var results = new List<PartTime>
        {
            new($"gradient norm ({count / 1e6:F1} M parameters)", Mean(() => PretrainingStep.GradientNorm(parameters), repetitions, warmup)),
            new($"{options.Optimizer} update", Mean(optimizer.Step, repetitions, warmup)),
            new("zero the gradients", Mean(optimizer.ZeroGrad, repetitions, warmup)),
        };
        return results;
    }
}
