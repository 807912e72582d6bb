using BarlowTwins.Augment;
using BarlowTwins.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace BarlowTwins.Tests.Training;

/// <summary>
/// Random two-view batches that depend only on (seed, epoch, batch), like the real loader: the
/// stand-in data for trainer tests. View B is view A plus noise, so the loss has something to learn.
/// </summary>
internal sealed class SyntheticTwoViews(int batches, int batchSize, int channels, int size, long seed = 7) : IPretrainingData
{
    public int BatchesPerEpoch => batches;

    /// <summary>Multi-crop's small views per image (of half the side; 0: none).</summary>
    public int LocalCount { get; init; }

    /// <summary>Replaces every pixel of one batch with NaN (to test the guard).</summary>
    public int? PoisonedBatch { get; init; }

    private TwoViewBatch Batch(int epoch, int b)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)(seed * 1_000_003 + epoch * 1_009 + b));
        var a = randn([batchSize, channels, size, size], generator: generator);
        var v = a + 0.3 * randn([batchSize, channels, size, size], generator: generator);
        if (b == PoisonedBatch) a.fill_(double.NaN);
        var locals = LocalCount == 0 ? null
            : nn.functional.avg_pool2d(a, 2).unsqueeze(0) + 0.3 * randn([LocalCount, batchSize, channels, size / 2, size / 2], generator: generator);
        return new TwoViewBatch(a.MoveToOuterDisposeScope(), v.MoveToOuterDisposeScope(),
                                zeros(batchSize, ScalarType.Int64).MoveToOuterDisposeScope(), locals?.MoveToOuterDisposeScope());
    }

    public IEnumerable<TwoViewBatch> Epoch(int epoch, int startBatch)
    {
        for (int b = startBatch; b < batches; b++)
        {
            yield return Batch(epoch, b);
        }
    }
}
