using System.Diagnostics;
using BarlowTwins.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace BarlowTwins.Bench;

/// <summary>One distinct convolution of a step, timed alone.</summary>
/// <param name="Layer">Its geometry.</param>
/// <param name="Count">How often the backbone uses it per view.</param>
/// <param name="Batch">Images per pass (the step's batch: each view is its own pass).</param>
/// <param name="Seconds">Mean seconds of one forward + backward (forward alone when not <paramref name="Backward"/>) on that batch.</param>
/// <param name="Backward">Timed with its backward pass (training) or forward alone (inference).</param>
public sealed record ConvTime(ConvLayer Layer, int Count, int Batch, double Seconds, bool Backward = true)
{
    /// <summary>FLOP of one pass of this layer on the batch: 2 per multiply-accumulate, × 3 with the backward pass.</summary>
    public double Flop => (Backward ? 6 : 2) * Layer.Macs * Batch;

    /// <summary>GFLOP/s of this layer.</summary>
    public double Gflops => Flop / Seconds / 1e9;
}

/// <summary>
/// The convolutions of a training step timed alone: each distinct layer's forward and backward
/// (weight gradient, and input gradient except for the stem, whose input needs none; strided 1×1
/// shortcuts in the sampled form the model uses) on one
/// view's batch, times how often the backbone uses it, times two views. A step that calls these
/// kernels cannot be faster than that sum — batch-norms, activations, projector, loss and optimizer
/// only add to it — so it bounds what any implementation on the same kernels can reach.
/// The forward-only form (<see cref="MeasureForward"/>) bounds feature extraction the same way.
/// </summary>
public static class ConvCeiling
{
    /// <summary>Times every distinct convolution of <paramref name="shape"/>'s backbone in float32, forward + backward.</summary>
    public static IReadOnlyList<ConvTime> Measure(StepShape shape, int repetitions, int warmup)
    {
        torch.InitializeDeviceType(DeviceType.CPU);
        var options = new ResNetOptions(ResNetArchitecture.Parse(shape.Backbone), 3, shape.CifarStem);
        return Distinct(options, shape.Size, (layer, isStem) => new ConvTime(layer.Layer, layer.Count, shape.Batch,
            Time(layer.Layer, shape.Batch, needsInputGradient: !isStem, repetitions, warmup)));
    }

    /// <summary>
    /// Times every distinct convolution of <paramref name="shape"/>'s backbone forward alone, under
    /// inference mode, in <paramref name="dtype"/> (float32 or bfloat16).
    /// </summary>
    public static IReadOnlyList<ConvTime> MeasureForward(ForwardShape shape, ScalarType dtype, int repetitions, int warmup)
    {
        torch.InitializeDeviceType(DeviceType.CPU);
        return Distinct(shape.Options, shape.Size, (layer, _) => new ConvTime(layer.Layer, layer.Count, shape.Batch,
            TimeForward(layer.Layer, shape.Batch, dtype, repetitions, warmup), Backward: false));
    }

    /// <summary>Seconds of the convolutions of one step: every layer, as often as it occurs, for both views.</summary>
    public static double StepSeconds(IEnumerable<ConvTime> times) => 2 * times.Sum(t => t.Count * t.Seconds);

    /// <summary>Seconds of the convolutions of one forward pass of the batch: every layer, as often as it occurs.</summary>
    public static double ForwardSeconds(IEnumerable<ConvTime> times) => times.Sum(t => t.Count * t.Seconds);

    // Each distinct layer once, with how often the backbone uses it and whether it is the stem.
    private static List<ConvTime> Distinct(ResNetOptions options, int size, Func<(ConvLayer Layer, int Count), bool, ConvTime> time)
    {
        var layers = ModelFlops.ConvLayers(options, size);
        var stem = layers[0];
        return layers.GroupBy(layer => layer)
                     .Select(group => time((group.Key, group.Count()), ReferenceEquals(group.First(), stem)))
                     .ToList();
    }

    private static double TimeForward(ConvLayer layer, int batch, ScalarType dtype, int repetitions, int warmup)
    {
        using var scope = NewDisposeScope();
        using var inference = inference_mode();
        var input = randn(batch, layer.InChannels, layer.InputSide, layer.InputSide).to_type(dtype);
        var weight = (randn(layer.OutChannels, layer.InChannels, layer.Kernel, layer.Kernel) * 0.05).to_type(dtype);
        var clock = new Stopwatch();
        for (int i = 0; i < warmup + repetitions; i++)
        {
            using var pass = NewDisposeScope();
            if (i == warmup) clock.Start();
            Convolve(layer, input, weight);
        }
        return clock.Elapsed.TotalSeconds / repetitions;
    }

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
