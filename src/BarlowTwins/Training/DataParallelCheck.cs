using System.Diagnostics;
using BarlowTwins.Distributed;
using BarlowTwins.Loss;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace BarlowTwins.Training;

/// <summary>What <see cref="DataParallelCheck.Run"/> measured.</summary>
/// <param name="Ranks">K.</param>
/// <param name="GradientDifference">max |distributed − single-process| / max |single-process| over the gradient.</param>
/// <param name="ReplicaDifference">max |this rank's summed gradient − rank 0's|, summed over ranks (0 when replicas agree).</param>
/// <param name="AllReduceGigabytesPerSecond">Payload of a 64 MB float32 all-reduce divided by its time (NaN for one process).</param>
public sealed record DataParallelCheckResult(int Ranks, double GradientDifference, double ReplicaDifference, double AllReduceGigabytesPerSecond);

/// <summary>
/// A quick check of a data-parallel setup (hosts, network, MPI library): every rank computes its
/// share of the gradient of the global loss of a small network with synchronised batch-norm on a
/// synthetic global batch, the shares are summed, and each rank compares the sum with the
/// single-process gradient on the whole batch, which it also computes. Then it times an all-reduce.
/// </summary>
public static class DataParallelCheck
{
    private const int SamplesPerRank = 16, Features = 64, Hidden = 32, Embedding = 16;
    private const long BandwidthElements = 1L << 24;

    /// <summary>Runs the check on every rank (collective: all ranks must call it).</summary>
    public static DataParallelCheckResult Run(ICollectives collectives)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(2021);
        int n = SamplesPerRank * collectives.Size;
        var (viewA, viewB) = (randn(n, Features, generator: generator), randn(n, Features, generator: generator));
        var loss = new BarlowTwinsLoss();

        var distributed = Network(collectives);
        collectives.BroadcastState(distributed);
        var (start, length) = collectives.Shard(n);
        MicroBatchStep.Run(distributed, StepLoss.For(collectives, loss).Forward,
                           viewA.narrow(0, start, length), viewB.narrow(0, start, length), int.MaxValue);
        collectives.SumGradients(distributed.parameters());
        var summed = FlatGradient(distributed);

        var single = Network(new SingleProcess());
        single.load_state_dict(distributed.state_dict());
        MicroBatchStep.Run(single, loss.Forward, viewA, viewB, int.MaxValue);
        var reference = FlatGradient(single);
        double difference = (summed - reference).abs().max().item<float>() / reference.abs().max().item<float>();

        var rootGradient = summed.clone();
        collectives.Broadcast(rootGradient);
        double replicas = collectives.Total((summed - rootGradient).abs().max().item<float>());
        return new DataParallelCheckResult(collectives.Size, difference, replicas, AllReduceBandwidth(collectives));
    }

    private static Module<Tensor, Tensor> Network(ICollectives collectives) => Sequential(
        Linear(Features, Hidden, hasBias: false), new SyncBatchNorm(Hidden, collectives), ReLU(), Linear(Hidden, Embedding));

    private static Tensor FlatGradient(Module module) => cat(module.parameters().Select(p => p.grad!.flatten()).ToList(), 0);

    private static double AllReduceBandwidth(ICollectives collectives)
    {
        if (collectives.Size == 1) return double.NaN;
        using var payload = ones(BandwidthElements);
        collectives.Barrier();
        var clock = Stopwatch.StartNew();
        collectives.AllReduceSum(payload);
        collectives.Barrier();
        return BandwidthElements * sizeof(float) / 1e9 / clock.Elapsed.TotalSeconds;
    }
}
