using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace BarlowTwins.Augment;

// Separable Gaussian blur with reflect padding, one σ per image (the class: CpuKernels.cs).
internal static partial class CpuKernels
{
    /// <summary>Separable Gaussian blur, one σ per image, reflect padding: a vertical then a horizontal pass, SIMD over columns.</summary>
    public static Tensor GaussianBlur(Tensor images, float[] sigmas, int kernelSize)
    {
        var source = images.contiguous();
        var result = empty_like(source);
        var input = Floats(source);
        var output = Floats(result);
        int channels = (int)images.shape[1], height = (int)images.shape[2], width = (int)images.shape[3], plane = height * width;
        input.CopyTo(output);
        for (int n = 0; n < sigmas.Length; n++)
            GaussianBlur(output.Slice(n * channels * plane, channels * plane), height, width, sigmas[n], kernelSize);
        return result;
    }

    /// <summary>
    /// Gaussian blur of one planar image (any number of channels) in place, with
    /// <see cref="GaussianKernel"/>'s weights less the negligible tails (<see cref="SignificantRadius"/>).
    /// </summary>
    public static void GaussianBlur(Span<float> image, int height, int width, float sigma, int kernelSize)
    {
        int plane = height * width;
        var full = GaussianKernel(sigma, kernelSize);
        int radius = SignificantRadius(full);
        var kernel = full.AsSpan(kernelSize / 2 - radius, 2 * radius + 1);
        var rows = ArrayPool<float>.Shared.Rent(plane);
        var padded = ArrayPool<float>.Shared.Rent(width + kernel.Length);
        for (int at = 0; at < image.Length; at += plane)
        {
            BlurColumns(image.Slice(at, plane), rows.AsSpan(0, plane), height, width, kernel);
            BlurRows(rows.AsSpan(0, plane), image.Slice(at, plane), height, width, kernel, padded);
        }
        ArrayPool<float>.Shared.Return(rows);
        ArrayPool<float>.Shared.Return(padded);
    }

    /// <summary>
    /// Weight below which a tap is dropped: 2⁻²⁴, half an ulp of 1, so a dropped tap moves no value
    /// in [0, 1] by more than that. The σ drawn in [0.1, 2] leaves 3 (σ 0.1) to 21 (σ 2) of the 23
    /// taps, ≈ 12 on average; the result moves by less than 3e-7 (tested against the full kernel).
    /// </summary>
    internal const float NegligibleWeight = 1f / (1 << 24);

    /// <summary>The radius of the centred taps to keep: every tap further out weighs less than <see cref="NegligibleWeight"/>.</summary>
    internal static int SignificantRadius(ReadOnlySpan<float> kernel)
    {
        int half = kernel.Length / 2, radius = half;
        while (radius > 0 && kernel[half - radius] < NegligibleWeight && kernel[half + radius] < NegligibleWeight) radius--;
        return radius;
    }

    /// <summary>exp(−x²/2σ²) at x = −K/2 … K/2, normalised to sum 1.</summary>
    public static float[] GaussianKernel(float sigma, int kernelSize)
    {
        var kernel = new float[kernelSize];
        double half = (kernelSize - 1) / 2.0, total = 0;
        for (int k = 0; k < kernelSize; k++) total += kernel[k] = (float)Math.Exp(-0.5 * Math.Pow((k - half) / sigma, 2));
        for (int k = 0; k < kernelSize; k++) kernel[k] = (float)(kernel[k] / total);
        return kernel;
    }

    /// <summary>
    /// Vertical pass: each output row sums K reflected input rows, four SIMD registers of columns
    /// at a time (four independent sums, so the additions do not wait on each other).
    /// </summary>
    private static void BlurColumns(ReadOnlySpan<float> source, Span<float> target, int height, int width, ReadOnlySpan<float> kernel)
    {
        int half = kernel.Length / 2, lanes = Vector<float>.Count;
        Span<int> rowStart = stackalloc int[kernel.Length];
        ref float input = ref MemoryMarshal.GetReference(source);
        ref float output = ref MemoryMarshal.GetReference(target);
        ref float weights = ref MemoryMarshal.GetReference(kernel);
        for (int y = 0; y < height; y++)
        {
            for (int k = 0; k < kernel.Length; k++) rowStart[k] = Reflect(y + k - half, height) * width;
            int x = 0;
            for (; x <= width - 4 * lanes; x += 4 * lanes)
            {
                Vector<float> a = default, b = default, c = default, d = default;
                for (int k = 0; k < kernel.Length; k++)
                {
                    var w = new Vector<float>(Unsafe.Add(ref weights, k));
                    ref float row = ref Unsafe.Add(ref input, rowStart[k] + x);
                    a += Vector.LoadUnsafe(ref row) * w;
                    b += Vector.LoadUnsafe(ref row, (nuint)lanes) * w;
                    c += Vector.LoadUnsafe(ref row, (nuint)(2 * lanes)) * w;
                    d += Vector.LoadUnsafe(ref row, (nuint)(3 * lanes)) * w;
                }
                ref float at = ref Unsafe.Add(ref output, y * width + x);
                a.StoreUnsafe(ref at);
                b.StoreUnsafe(ref at, (nuint)lanes);
                c.StoreUnsafe(ref at, (nuint)(2 * lanes));
                d.StoreUnsafe(ref at, (nuint)(3 * lanes));
            }
            for (; x <= width - lanes; x += lanes)
            {
                var sum = Vector<float>.Zero;
                for (int k = 0; k < kernel.Length; k++) sum += Vector.LoadUnsafe(ref input, (nuint)(rowStart[k] + x)) * kernel[k];
                sum.StoreUnsafe(ref output, (nuint)(y * width + x));
            }
            for (; x < width; x++)
            {
                float sum = 0;
                for (int k = 0; k < kernel.Length; k++) sum += source[rowStart[k] + x] * kernel[k];
                target[y * width + x] = sum;
            }
        }
    }

    /// <summary>Horizontal pass over a reflect-padded copy of each row, four SIMD registers of columns at a time.</summary>
    private static void BlurRows(ReadOnlySpan<float> source, Span<float> target, int height, int width, ReadOnlySpan<float> kernel, float[] padded)
    {
        int half = kernel.Length / 2, lanes = Vector<float>.Count;
        ref float weights = ref MemoryMarshal.GetReference(kernel);
        ref float pad = ref padded[0];
        for (int y = 0; y < height; y++)
        {
            var row = source.Slice(y * width, width);
            for (int x = 0; x < half; x++)
            {
                padded[half - 1 - x] = row[Reflect(-1 - x, width)];
                padded[half + width + x] = row[Reflect(width + x, width)];
            }
            row.CopyTo(padded.AsSpan(half));
            var output = target.Slice(y * width, width);
            ref float at = ref MemoryMarshal.GetReference(output);
            int start = 0;
            for (; start <= width - 4 * lanes; start += 4 * lanes)
            {
                Vector<float> a = default, b = default, c = default, d = default;
                for (int k = 0; k < kernel.Length; k++)
                {
                    var w = new Vector<float>(Unsafe.Add(ref weights, k));
                    ref float tap = ref Unsafe.Add(ref pad, start + k);
                    a += Vector.LoadUnsafe(ref tap) * w;
                    b += Vector.LoadUnsafe(ref tap, (nuint)lanes) * w;
                    c += Vector.LoadUnsafe(ref tap, (nuint)(2 * lanes)) * w;
                    d += Vector.LoadUnsafe(ref tap, (nuint)(3 * lanes)) * w;
                }
                a.StoreUnsafe(ref at, (nuint)start);
                b.StoreUnsafe(ref at, (nuint)(start + lanes));
                c.StoreUnsafe(ref at, (nuint)(start + 2 * lanes));
                d.StoreUnsafe(ref at, (nuint)(start + 3 * lanes));
            }
            for (; start <= width - lanes; start += lanes)
            {
                var sum = Vector<float>.Zero;
                for (int k = 0; k < kernel.Length; k++) sum += Vector.LoadUnsafe(ref pad, (nuint)(start + k)) * kernel[k];
                sum.StoreUnsafe(ref at, (nuint)start);
            }
            for (; start < width; start++)
            {
                float sum = 0;
                for (int k = 0; k < kernel.Length; k++) sum += padded[start + k] * kernel[k];
                output[start] = sum;
            }
        }
    }

    /// <summary>Reflect padding (no edge repeat): −1 → 1, n → n − 2.</summary>
    private static int Reflect(int i, int n) => i < 0 ? -i : i >= n ? 2 * n - 2 - i : i;
}
