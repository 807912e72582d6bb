using System.Diagnostics;
using BarlowTwins.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace BarlowTwins.Bench;

/// <summary>One distinct convolution of a step, timed alone.</summary>
/// <param name="Layer">Its geometry.</param>
/// <param name="Count">How often the backbone uses it per view.</param>
/// <param name="Batch">Images per pass (the step's batch: each view is its own pass).</param>
/// <param name="Seconds">Mean seconds of one forward + backward on that batch.</param>
public sealed record ConvTime(ConvLayer Layer, int Count, int Batch, double Seconds)
{
    /// <summary>GFLOP/s of this layer: 2 FLOP per multiply-accumulate, × 3 for forward + backward.</summary>
    public double Gflops => 6 * Layer.Macs * Batch / Seconds / 1e9;
}

/// <summary>
/// The convolutions of a training step timed alone: each distinct layer's forward and backward
/// (weight gradient, and input gradient except for the stem, whose input needs none; strided 1×1
/// shortcuts in the sampled form the model uses) on one
/// view's batch, times how often the backbone uses it, times two views. A step that calls these
/// kernels cannot be faster than that sum — batch-norms, activations, projector, loss and optimizer
/// only add to it — so it bounds what any implementation on the same kernels can reach.
/// </summary>
public static class ConvCeiling
{
    /// <summary>Times every distinct convolution of <paramref name="shape"/>'s backbone in float32.</summary>
    public static IReadOnlyList<ConvTime> Measure(StepShape shape, int repetitions, int warmup)
    {
        torch.InitializeDeviceType(DeviceType.CPU);
        var options = new ResNetOptions(ResNetArchitecture.Parse(shape.Backbone), 3, shape.CifarStem);
        var layers = ModelFlops.ConvLayers(options, shape.Size);
        var stem = layers[0];
        return layers.GroupBy(layer => layer)
                     .Select(group => new ConvTime(group.Key, group.Count(), shape.Batch,
                                                   Time(group.Key, shape.Batch, needsInputGradient: !ReferenceEquals(group.First(), stem),
                                                        repetitions, warmup)))
                     .ToList();
    }

    /// <summary>Seconds of the convolutions of one step: every layer, as often as it occurs, for both views.</summary>
    public static double StepSeconds(IEnumerable<ConvTime> times) => 2 * times.Sum(t => t.Count * t.Seconds);

    private static double Time(ConvLayer layer, int batch, bool needsInputGradient, int repetitions, int warmup)
    {
        using var scope = NewDisposeScope();
        var input = randn(batch, layer.InChannels, layer.InputSide, layer.InputSide).requires_grad_(needsInputGradient);
        var weight = (randn(layer.OutChannels, layer.InChannels, layer.Kernel, layer.Kernel) * 0.05).requires_grad_(true);
        var outputGradient = randn(batch, layer.OutChannels, layer.OutputSide, layer.OutputSide);
        var clock = new Stopwatch();
        for (int i = 0; i < warmup + repetitions; i++)
        {
            using var pass = NewDisposeScope();
            if (i == warmup) clock.Start();
            var output = Convolve(layer, input, weight);
            output.backward([outputGradient]);
            weight.grad = null; // libtorch frees the gradient; the next pass allocates it afresh, as a step does
            if (needsInputGradient) input.grad = null;
        }
        return clock.Elapsed.TotalSeconds / repetitions;
    }

    // The kernel the step calls: strided 1×1 shortcuts go through ResNetLayers' sampled form.
    private static Tensor Convolve(ConvLayer layer, Tensor input, Tensor weight) =>
        layer is { Kernel: 1, Padding: 0, Stride: > 1 }
            ? ResNetLayers.StridedPointwise(input, weight, layer.Stride)
            : nn.functional.conv2d(input, weight, strides: [layer.Stride, layer.Stride], padding: [layer.Padding, layer.Padding]);
}
