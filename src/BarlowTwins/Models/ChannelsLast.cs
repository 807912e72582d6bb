using TorchSharp;
using static TorchSharp.torch;

namespace BarlowTwins.Models;

/// <summary>
/// Channels-last (NHWC) memory layout for image batches and convolution weights. The tensors keep
/// their logical N × C × H × W shape; only the strides change (channel stride 1). libtorch's
/// oneDNN convolutions then read and write that layout directly instead of reordering to their
/// blocked format around every call, and batch norm, ReLU and the residual additions keep it.
/// TorchSharp has no <c>contiguous(memory_format)</c>, so the layout is made by a permuted copy.
/// </summary>
public static class ChannelsLast
{
    /// <summary>A copy of the 4-D <paramref name="tensor"/> with channels-last strides (same values, same shape).</summary>
    public static Tensor Of(Tensor tensor)
    {
        if (tensor.dim() != 4)
            throw new ArgumentException($"Channels-last needs a 4-D tensor (N × C × H × W); got {tensor.dim()} dimensions.", nameof(tensor));
        using var nhwc = tensor.permute(0, 2, 3, 1).contiguous();
        return nhwc.permute(0, 3, 1, 2);
    }

    /// <summary>
    /// True when <paramref name="tensor"/> is 4-D and stored channels-last. Strides of dimensions of
    /// size 1 say nothing about the layout (a 1×1 kernel is both layouts at once) and are not compared.
    /// </summary>
    public static bool Holds(Tensor tensor)
    {
        if (tensor.dim() != 4) return false;
        var (shape, stride) = (tensor.shape, tensor.stride());
        long[] expected = [shape[1] * shape[2] * shape[3], 1, shape[1] * shape[3], shape[1]];
        return Enumerable.Range(0, 4).All(d => shape[d] == 1 || stride[d] == expected[d]);
    }

    /// <summary>
    /// Stores every 4-D parameter of <paramref name="module"/> (the convolution weights) channels-last,
    /// in place: the parameters stay the same objects, so optimizers and state dicts built on them
    /// are unaffected.
    /// </summary>
    public static void Apply(nn.Module module)
    {
        using var _ = no_grad();
        foreach (var parameter in module.parameters().Where(p => p.dim() == 4))
        {
            using var stored = Of(parameter);
            parameter.set_(stored);
        }
    }

    /// <summary>
    /// Returns every parameter of <paramref name="module"/> to contiguous (NCHW) strides, in place,
    /// values unchanged: TorchSharp's <c>Module.save</c> writes raw bytes and refuses other layouts.
    /// </summary>
    public static void Revert(nn.Module module)
    {
        using var _ = no_grad();
        foreach (var parameter in module.parameters().Where(p => !p.is_contiguous()))
        {
            using var stored = parameter.contiguous();
            parameter.set_(stored);
        }
    }
}
