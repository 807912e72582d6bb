using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace BarlowTwins.Augment;

/// <summary>
/// Photometric ops as single passes over a contiguous float32 CPU batch, where chains of tensor ops
/// are costly: hue (≈ 40 elementwise ops through HSV, CpuKernels.Hue.cs), the per-image Gaussian
/// blur (a grouped convolution libtorch runs slowly on CPU, CpuKernels.GaussianBlur.cs), and the
/// pointwise colour ops — clamp, brightness, contrast, saturation, grayscale, solarize, normalize
/// (CpuKernels.Color.cs). Same formulas as the tensor versions, which other devices use; the tests
/// hold both to the torchvision fixtures.
/// </summary>
internal static partial class CpuKernels
{
    /// <summary>True when <paramref name="images"/> can be read and written as a span of floats here.</summary>
    public static bool Applies(Tensor images) => images.device_type == DeviceType.CPU && images.dtype == ScalarType.Float32;

    /// <summary>The batch's floats (the tensor must be contiguous and stay alive while the span is used).</summary>
    private static Span<float> Floats(Tensor contiguous) => MemoryMarshal.Cast<byte, float>(contiguous.bytes);
}
