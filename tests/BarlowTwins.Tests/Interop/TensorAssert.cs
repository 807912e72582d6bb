using static TorchSharp.torch;

namespace BarlowTwins.Tests.Interop;

/// <summary>Exact tensor equality (TorchSharp's Tensor.equal is element-wise).</summary>
internal static class TensorAssert
{
    public static void Identical(Tensor expected, Tensor actual, string what)
    {
        Assert.True(expected.dtype == actual.dtype, $"{what}: dtype {actual.dtype}, expected {expected.dtype}");
        Assert.True(expected.shape.SequenceEqual(actual.shape), $"{what}: shape [{string.Join(",", actual.shape)}], expected [{string.Join(",", expected.shape)}]");
        using var same = expected.eq(actual).all();
        Assert.True(same.item<bool>(), $"{what}: values differ");
    }

    public static void Identical(TorchSharp.torch.nn.Module expected, TorchSharp.torch.nn.Module actual)
    {
        var a = actual.state_dict();
        var e = expected.state_dict();
        Assert.Equal(e.Keys.Order(), a.Keys.Order());
        foreach (var (key, tensor) in e) Identical(tensor, a[key], key);
    }
}
