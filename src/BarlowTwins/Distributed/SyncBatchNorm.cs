using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BarlowTwins.Distributed;

/// <summary>
/// Batch-norm whose training statistics are those of the global batch: per channel, the mean
/// and biased variance over every rank's samples (and positions), reduced with a differentiable
/// all-reduce, so forward and gradient equal one process normalising the whole batch. Eval mode
/// uses the running statistics like any batch-norm. Parameters and buffers carry batch-norm's
/// names (weight, bias, running_mean, running_var, num_batches_tracked), so state dicts move
/// between the two unchanged. Inputs: N × C, N × C × L or N × C × H × W.
/// <para>
/// Costs two small all-reduces per layer forward and two backward, and runs as composite tensor
/// operations instead of one fused kernel. With a single rank it computes what
/// <c>BatchNorm1d</c>/<c>BatchNorm2d</c> compute.
/// </para>
/// </summary>
public sealed class SyncBatchNorm : BatchNorm
{
    private readonly ICollectives _collectives;

    /// <summary>A synchronised batch-norm over <paramref name="features"/> channels (γ = 1, β = 0).</summary>
    public SyncBatchNorm(long features, ICollectives collectives, double eps = 1e-5, double momentum = 0.1)
        : base(features, eps, momentum, affine: true, track_running_stats: true, device: null, dtype: null, nameof(SyncBatchNorm)) =>
        _collectives = collectives;

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        if (!training) return base.forward(input);
        ValidateInputDimensions(input);
        using var scope = NewDisposeScope();
        long[] dims = [0, .. Enumerable.Range(2, (int)input.ndim - 2).Select(d => (long)d)];
        long[] shape = [1, input.shape[1], .. Enumerable.Repeat(1L, (int)input.ndim - 2)];
        // Statistics in float32 whatever the network runs in, as batch-norm kernels do.
        var moments = GlobalMoments.Of(input.to_type(ScalarType.Float32), dims, eps, _collectives);
        if (moments.Count < 2) throw new ArgumentException("Batch-norm in training mode needs more than one value per channel over the global batch.");
        UpdateRunningStatistics(moments);
        var output = moments.Standardized * weight!.view(shape) + bias!.view(shape);
        return output.to_type(input.dtype).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override void ValidateInputDimensions(Tensor input)
    {
        if (input.ndim is < 2 or > 4)
            throw new ArgumentException($"SyncBatchNorm expects N × C, N × C × L or N × C × H × W input, not {input.ndim}D.");
    }

    private void UpdateRunningStatistics(GlobalMoments moments)
    {
        using var _ = no_grad();
        num_batches_tracked!.add_(1);
        double factor = momentum ?? 1.0 / num_batches_tracked.item<long>();
        // Like batch-norm: the running variance is the unbiased estimate.
        var unbiased = moments.Variance.flatten() * (moments.Count / (moments.Count - 1));
        running_mean!.mul_(1 - factor).add_(moments.Mean.flatten(), alpha: factor);
        running_var!.mul_(1 - factor).add_(unbiased, alpha: factor);
    }
}
