using BarlowTwins.Loss;
using static TorchSharp.torch;

namespace BarlowTwins.Distributed;

/// <summary>
/// The loss a step applies to its embeddings, and the C it reports: <see cref="BarlowTwinsLoss"/>'s own
/// on one process, <see cref="GlobalBarlowTwinsLoss"/>'s over K &gt; 1 ranks. The one place that
/// decides between one process and several.
/// </summary>
/// <param name="Forward">The loss of this rank's embeddings (pass it to <c>MicroBatchStep.Run</c>).</param>
/// <param name="CrossCorrelation">C of the whole batch (every rank's rows), for diagnostics and heat maps.</param>
public sealed record StepLoss(Func<Tensor, Tensor, LossTerms> Forward, Func<Tensor, Tensor, Tensor> CrossCorrelation)
{
    /// <summary>The step loss of <paramref name="loss"/> on the ranks of <paramref name="collectives"/>.</summary>
    public static StepLoss For(ICollectives collectives, BarlowTwinsLoss loss)
    {
        if (collectives.Size == 1) return new(loss.Forward, BarlowTwinsLoss.CrossCorrelation);
        var global = new GlobalBarlowTwinsLoss(collectives, loss);
        return new(global.Forward, global.CrossCorrelation);
    }
}
