using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace BarlowTwins.Distributed;

/// <summary>Who uses a sum over ranks, which decides its gradient.</summary>
public enum SumConsumer
{
    /// <summary>
    /// Each rank uses the sum on its own samples only (e.g. to standardise its rows). Each rank's
    /// gradient with respect to the sum then covers its own samples; the true gradient is the sum
    /// of them all, so the backward pass all-reduces too.
    /// </summary>
    RankLocal,

    /// <summary>
    /// Every rank repeats the same computation on the sum (e.g. the loss of the global C). Each
    /// rank already holds the whole gradient; summing it would count it K times, so the backward
    /// pass passes it through.
    /// </summary>
    Replicated,
}

/// <summary>
/// A differentiable all-reduce: forward, the element-wise sum of a tensor over all ranks; backward,
/// the gradient that makes each rank's parameter gradient its exact share of the global loss's
/// gradient (see <see cref="SumConsumer"/>). Summing those shares over ranks then gives the
/// gradient of the global loss.
/// </summary>
public static class SumOverRanks
{
    /// <summary>Σ over ranks of <paramref name="local"/>, differentiable.</summary>
    public static Tensor Apply(Tensor local, ICollectives collectives, SumConsumer consumer) =>
        collectives.Size == 1 ? local : AllReduceFunction.apply(local, collectives, consumer);

    private sealed class AllReduceFunction : SingleTensorFunction<AllReduceFunction>
    {
        public override string Name => nameof(SumOverRanks);

        public override Tensor forward(AutogradContext ctx, params object[] vars)
        {
            var collectives = (ICollectives)vars[1];
            ctx.save_data(nameof(ICollectives), collectives);
            ctx.save_data(nameof(SumConsumer), vars[2]);
            var sum = ((Tensor)vars[0]).clone();
            collectives.AllReduceSum(sum);
            return sum;
        }

        public override List<Tensor> backward(AutogradContext ctx, Tensor gradOutput)
        {
            var gradient = gradOutput.clone();
            if ((SumConsumer)ctx.get_data(nameof(SumConsumer)) == SumConsumer.RankLocal)
                ((ICollectives)ctx.get_data(nameof(ICollectives))).AllReduceSum(gradient);
            return [gradient, null!, null!];
        }
    }
}
