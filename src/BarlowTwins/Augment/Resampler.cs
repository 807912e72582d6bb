using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace BarlowTwins.Augment;

/// <summary>
/// Separable resampling of 8-bit height × width × channels pixels into planar float
/// (channels × rows × columns), with precomputed <see cref="AxisWeights"/>. The vertical pass runs
/// first, over whole source rows (contiguous bytes, SIMD-widened to float), so the costlier
/// horizontal pass only sees the output rows. Runs on the loader's worker threads: no tensors, no
/// allocation beyond a pooled scratch buffer.
/// </summary>
internal static class Resampler
{
    /// <summary>
    /// dst[c, y, x] = Σ_i Σ_j rows(y, i) · cols(x, j) · src[i, j, c]. <paramref name="dst"/> holds
    /// channels × rows.Length × cols.Length floats.
    /// </summary>
    public static void Resample(ReadOnlySpan<byte> src, int width, int channels,
                                AxisWeights rows, AxisWeights cols, Span<float> dst)
    {
        int colStart = int.MaxValue, colEnd = 0;
        for (int x = 0; x < cols.Length; x++)
        {
            colStart = Math.Min(colStart, cols.First[x]);
            colEnd = Math.Max(colEnd, cols.First[x] + cols.Count[x]);
        }
        int span = (colEnd - colStart) * channels;
        int stride = span + 4; // room for the 4-wide loads of the last pixel in the 3-channel path
        var scratch = ArrayPool<float>.Shared.Rent(rows.Length * stride);
        try
        {
            var tmp = scratch.AsSpan(0, rows.Length * stride);
            Vertical(src, width * channels, colStart * channels, span, rows, tmp, stride);
            if (channels == 3) HorizontalRgb(tmp, stride, colStart, cols, rows.Length, dst);
            else Horizontal(tmp, stride, colStart, channels, cols, rows.Length, dst);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratch);
        }
    }

    private static void Vertical(ReadOnlySpan<byte> src, int rowBytes, int offset, int span,
                                 AxisWeights rows, Span<float> tmp, int stride)
    {
        for (int y = 0; y < rows.Length; y++)
        {
            var acc = tmp.Slice(y * stride, stride);
            acc.Clear();
            acc = acc[..span];
            for (int k = 0; k < rows.Count[y]; k++)
                Accumulate(src.Slice((rows.First[y] + k) * rowBytes + offset, span), rows.Weights[y * rows.Taps + k], acc);
        }
    }

    /// <summary>acc += weight · bytes, eight or sixteen at a time.</summary>
    private static void Accumulate(ReadOnlySpan<byte> bytes, float weight, Span<float> acc)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var w = new Vector<float>(weight);
            int lanes = Vector<float>.Count;
            for (; i <= bytes.Length - Vector<byte>.Count; i += Vector<byte>.Count)
            {
                Vector.Widen(new Vector<byte>(bytes[i..]), out Vector<ushort> low, out Vector<ushort> high);
                Vector.Widen(low, out Vector<uint> a, out Vector<uint> b);
                Vector.Widen(high, out Vector<uint> c, out Vector<uint> d);
                var target = acc[i..];
                Fma(target, Vector.ConvertToSingle(a), w);
                Fma(target[lanes..], Vector.ConvertToSingle(b), w);
                Fma(target[(2 * lanes)..], Vector.ConvertToSingle(c), w);
                Fma(target[(3 * lanes)..], Vector.ConvertToSingle(d), w);
            }
        }
        for (; i < bytes.Length; i++) acc[i] += weight * bytes[i];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Fma(Span<float> target, Vector<float> values, Vector<float> weight)
    {
        ref var slot = ref Unsafe.As<float, Vector<float>>(ref MemoryMarshal.GetReference(target));
        slot += values * weight;
    }

    /// <summary>Three interleaved channels: one 4-wide multiply-add per tap (the fourth lane is ignored).</summary>
    private static void HorizontalRgb(Span<float> tmp, int stride, int colStart, AxisWeights cols, int height, Span<float> dst)
    {
        int width = cols.Length, plane = height * width;
        ref float tmp0 = ref MemoryMarshal.GetReference(tmp);
        for (int y = 0; y < height; y++)
        {
            int row = y * stride;
            for (int x = 0; x < width; x++)
            {
                var sum = Vector128<float>.Zero;
                int at = row + (cols.First[x] - colStart) * 3, weightAt = x * cols.Taps;
                for (int k = 0; k < cols.Count[x]; k++, at += 3)
                    sum += Vector128.Create(cols.Weights[weightAt + k]) * Vector128.LoadUnsafe(ref tmp0, (nuint)at);
                int o = y * width + x;
                dst[o] = sum.GetElement(0);
                dst[plane + o] = sum.GetElement(1);
                dst[2 * plane + o] = sum.GetElement(2);
            }
        }
    }

    private static void Horizontal(Span<float> tmp, int stride, int colStart, int channels, AxisWeights cols, int height, Span<float> dst)
    {
        int width = cols.Length, plane = height * width;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                for (int c = 0; c < channels; c++)
                {
                    float sum = 0;
                    int at = y * stride + (cols.First[x] - colStart) * channels + c, weightAt = x * cols.Taps;
                    for (int k = 0; k < cols.Count[x]; k++, at += channels) sum += cols.Weights[weightAt + k] * tmp[at];
                    dst[c * plane + y * width + x] = sum;
                }
    }
}
