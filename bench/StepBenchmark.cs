using System.Diagnostics;
using BarlowTwins.Augment;
using BarlowTwins.Models;
using BarlowTwins.Optim;
using BarlowTwins.Loss;
using BarlowTwins.Training;
using BarlowTwins.Training.Options;
using TorchSharp;

namespace BarlowTwins.Bench;

/// <summary>Seconds of each timed step, after the warm-up steps.</summary>
/// <param name="Batch">Images per step.</param>
/// <param name="Seconds">Wall-clock seconds of each timed step.</param>
public sealed record StepTimes(int Batch, IReadOnlyList<double> Seconds)
{
    /// <summary>Images per second over the mean step (each image counted once, as the reference does).</summary>
    public double ImagesPerSecond => Batch / Seconds.Average();
}

/// <summary>
/// Times the library's own <see cref="PretrainingStep"/> (two views → twin → loss → backward →
/// LARS) on random images, as the reference's bench_step.py times its step: no data loading.
/// </summary>
public static class StepBenchmark
{
    /// <summary>Runs <paramref name="warmup"/> + <paramref name="steps"/> steps of <paramref name="shape"/>; <paramref name="progress"/> hears of each.</summary>
    /// <param name="shape">What to train.</param>
    /// <param name="bf16">bfloat16 network, float32 master weights and loss.</param>
    /// <param name="channelsLast">Convolutions in channels-last layout (<see cref="ChannelsLast"/>).</param>
    /// <param name="steps">Timed steps.</param>
    /// <param name="warmup">Untimed steps first.</param>
    /// <param name="progress">Hears one line per step.</param>
    public static StepTimes Measure(StepShape shape, bool bf16, bool channelsLast, int steps, int warmup, Action<string> progress)
    {
        torch.InitializeDeviceType(DeviceType.CPU);
        torch.manual_seed(0);
        var options = shape.Options(channelsLast);
        using var twin = options.CreateTwin(torch.CPU);
        using var bf16Twin = bf16 ? options.CreateTwin(torch.CPU) : null;
        using var optimizer = OptimizerKinds.Create(options, ParameterGroups.Of(twin.parameters()));
        using var step = new PretrainingStep(twin, new BarlowTwinsLoss(options.Lambda), optimizer, bf16Twin,
                                             channelsLast: options.ChannelsLast);
        using var batch = new TwoViewBatch(torch.randn(shape.Batch, 3, shape.Size, shape.Size),
                                           torch.randn(shape.Batch, 3, shape.Size, shape.Size),
                                           torch.zeros(shape.Batch, torch.int64));
        // The reference's rates: 0.2 and 0.0048, scaled by batch / 256.
        var rates = (options.WeightLr * shape.Batch / 256, options.BiasLr * shape.Batch / 256);
        var seconds = new List<double>();
        for (int i = 0; i < warmup + steps; i++)
        {
            var clock = Stopwatch.StartNew();
            var result = step.Run(batch, rates, diagnose: false);
            double elapsed = clock.Elapsed.TotalSeconds;
            if (i >= warmup) seconds.Add(elapsed);
            progress($"step {i}{(i < warmup ? " (warm-up)" : "")}: loss {result.Loss:F3} {elapsed:F3}s");
        }
        return new StepTimes(shape.Batch, seconds);
    }
}
