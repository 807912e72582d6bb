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
        // Zeros after each row: room for the 4-wide loads of the last pixel in the 3-channel path,
        // and for reading all Taps (zero-weighted past Count) from the last outputs' first pixel.
        int stride = span + channels * cols.Taps + 4;
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

    /// <summary>Each output row sums its source rows' bytes; each chunk of 32 bytes is widened to float and accumulated in registers over all taps.</summary>
    private static void Vertical(ReadOnlySpan<byte> src, int rowBytes, int offset, int span,
                                 AxisWeights rows, Span<float> tmp, int stride)
    {
        int lanes = Vector<float>.Count, chunk = Vector<byte>.Count;
        for (int y = 0; y < rows.Length; y++)
        {
            var acc = tmp.Slice(y * stride, stride);
            acc[span..].Clear();
            int first = rows.First[y] * rowBytes + offset, taps = rows.Count[y], weightAt = y * rows.Taps;
            int i = 0;
            for (; Vector.IsHardwareAccelerated && i <= span - chunk; i += chunk)
            {
                Vector<float> a = default, b = default, c = default, d = default;
                for (int k = 0; k < taps; k++)
                {
                    var w = new Vector<float>(rows.Weights[weightAt + k]);
                    Vector.Widen(new Vector<byte>(src[(first + k * rowBytes + i)..]), out Vector<ushort> low, out Vector<ushort> high);
                    Vector.Widen(low, out Vector<uint> a32, out Vector<uint> b32);
                    Vector.Widen(high, out Vector<uint> c32, out Vector<uint> d32);
                    a += Vector.ConvertToSingle(a32) * w;
                    b += Vector.ConvertToSingle(b32) * w;
                    c += Vector.ConvertToSingle(c32) * w;
                    d += Vector.ConvertToSingle(d32) * w;
                }
                a.CopyTo(acc[i..]);
                b.CopyTo(acc[(i + lanes)..]);
                c.CopyTo(acc[(i + 2 * lanes)..]);
                d.CopyTo(acc[(i + 3 * lanes)..]);
            }
            for (; i < span; i++)
            {
                float sum = 0;
                for (int k = 0; k < taps; k++) sum += rows.Weights[weightAt + k] * src[first + k * rowBytes + i];
                acc[i] = sum;
            }
        }
    }

    /// <summary>
    /// Three interleaved channels: one 4-wide multiply-add per tap (the fourth lane is ignored),
    /// four outputs at a time so their sums do not wait on each other. Those run all
    /// <see cref="AxisWeights.Taps"/> taps; the ones past an output's count weigh 0 and read the
    /// zeroed row end, and adding 0 leaves every sum bit-identical to the per-output loop.
    /// </summary>
    private static void HorizontalRgb(Span<float> tmp, int stride, int colStart, AxisWeights cols, int height, Span<float> dst)
    {
        int width = cols.Length, plane = height * width, taps = cols.Taps;
        ref float tmp0 = ref MemoryMarshal.GetReference(tmp);
        ref float weights = ref cols.Weights[0];
        for (int y = 0; y < height; y++)
        {
            int row = y * stride, x = 0;
            for (; x <= width - 4; x += 4)
            {
                Vector128<float> a = default, b = default, c = default, d = default;
                ref float ta = ref Unsafe.Add(ref tmp0, row + (cols.First[x] - colStart) * 3);
                ref float tb = ref Unsafe.Add(ref tmp0, row + (cols.First[x + 1] - colStart) * 3);
                ref float tc = ref Unsafe.Add(ref tmp0, row + (cols.First[x + 2] - colStart) * 3);
                ref float td = ref Unsafe.Add(ref tmp0, row + (cols.First[x + 3] - colStart) * 3);
                ref float w = ref Unsafe.Add(ref weights, x * taps);
                for (int k = 0; k < taps; k++)
                {
                    nuint at = (nuint)(3 * k);
                    a += Vector128.Create(Unsafe.Add(ref w, k)) * Vector128.LoadUnsafe(ref ta, at);
                    b += Vector128.Create(Unsafe.Add(ref w, taps + k)) * Vector128.LoadUnsafe(ref tb, at);
                    c += Vector128.Create(Unsafe.Add(ref w, 2 * taps + k)) * Vector128.LoadUnsafe(ref tc, at);
                    d += Vector128.Create(Unsafe.Add(ref w, 3 * taps + k)) * Vector128.LoadUnsafe(ref td, at);
                }
                int o = y * width + x;
                Scatter(a, dst, o, plane);
                Scatter(b, dst, o + 1, plane);
                Scatter(c, dst, o + 2, plane);
                Scatter(d, dst, o + 3, plane);
            }
            for (; x < width; x++)
            {
                var sum = Vector128<float>.Zero;
                int at = row + (cols.First[x] - colStart) * 3, weightAt = x * taps;
                for (int k = 0; k < cols.Count[x]; k++, at += 3)
                    sum += Vector128.Create(cols.Weights[weightAt + k]) * Vector128.LoadUnsafe(ref tmp0, (nuint)at);
                Scatter(sum, dst, y * width + x, plane);
            }
        }
    }

    /// <summary>An (R, G, B, ·) sum into the three planes of output <paramref name="o"/>.</summary>
    private static void Scatter(Vector128<float> sum, Span<float> dst, int o, int plane)
    {
        dst[o] = sum.GetElement(0);
        dst[plane + o] = sum.GetElement(1);
        dst[2 * plane + o] = sum.GetElement(2);
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
