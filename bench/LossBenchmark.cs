using System.Diagnostics;
using BarlowTwins.Loss;
using BarlowTwins.Loss.Fast;
using TorchSharp;
using static TorchSharp.torch;

namespace BarlowTwins.Bench;

/// <summary>Which way the loss is differentiated.</summary>
public enum LossPath
{
    /// <summary><see cref="BarlowTwinsLoss.Forward"/>, as training runs it (N × N Gram matrices when N &lt; D).</summary>
    Forward,

    /// <summary><see cref="BlockedCorrelationTerms"/>: C formed, hand-written gradient, no other D×D intermediate.</summary>
    Blocked,

    /// <summary><see cref="BarlowTwinsLoss.CrossCorrelation"/> + <see cref="BarlowTwinsLoss.Terms"/> through autograd.</summary>
    Plain,
}

/// <summary>Seconds per loss forward + backward on random N × D embeddings (float32).</summary>
public static class LossBenchmark
{
    /// <summary>Mean seconds of <paramref name="repetitions"/> forward + backward passes after one warm-up.</summary>
    public static double Measure(LossPath path, long n, long d, int repetitions)
    {
        torch.InitializeDeviceType(DeviceType.CPU);
        torch.manual_seed(0);
        var loss = new BarlowTwinsLoss();
        using var zA = randn(n, d).requires_grad_();
        using var zB = randn(n, d).requires_grad_();
        double total = 0;
        for (int i = 0; i <= repetitions; i++)
        {
            using var scope = NewDisposeScope();
            var clock = Stopwatch.StartNew();
            Run(loss, path, zA, zB).backward();
            if (i > 0) total += clock.Elapsed.TotalSeconds;
            zA.grad?.zero_();
            zB.grad?.zero_();
        }
        return total / repetitions;
    }

    private static Tensor Run(BarlowTwinsLoss loss, LossPath path, Tensor zA, Tensor zB)
    {
        switch (path)
        {
            case LossPath.Forward: return loss.Forward(zA, zB).Loss;
            case LossPath.Plain: return loss.Terms(BarlowTwinsLoss.CrossCorrelation(zA, zB)).Loss;
            default:
                var (invariance, redundancy) = BlockedCorrelationTerms.Compute(BarlowTwinsLoss.Standardize(zA), BarlowTwinsLoss.Standardize(zB), zA.shape[0]);
                return invariance + loss.Lambda.Resolve(zA.shape[1]) * redundancy;
        }
    }
}
