using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace BarlowTwins.Augment;

/// <summary>
/// The two photometric ops that are costly as chains of tensor ops — hue (≈ 40 elementwise ops
/// through HSV) and the per-image Gaussian blur (a grouped convolution libtorch runs slowly on CPU)
/// — as single passes over a contiguous float32 CPU batch. Same formulas as the tensor versions,
/// which other devices use; the tests hold both to the torchvision fixtures.
/// </summary>
internal static class CpuKernels
{
    /// <summary>True when <paramref name="images"/> can be read and written as a span of floats here.</summary>
    public static bool Applies(Tensor images) => images.device_type == DeviceType.CPU && images.dtype == ScalarType.Float32;

    /// <summary>The batch's floats (the tensor must be contiguous and stay alive while the span is used).</summary>
    private static Span<float> Floats(Tensor contiguous) => MemoryMarshal.Cast<byte, float>(contiguous.bytes);

    /// <summary>Hue rotation of an N × 3 × H × W batch by shifts[n] turns, torchvision's _rgb2hsv / _hsv2rgb per pixel.</summary>
    public static Tensor Hue(Tensor images, float[] shifts)
    {
        var result = images.contiguous().clone();
        var data = Floats(result);
        int plane = (int)(images.shape[2] * images.shape[3]);
        for (int n = 0; n < shifts.Length; n++) Hue(data.Slice(3 * n * plane, 3 * plane), shifts[n]);
        return result;
    }

    /// <summary>
    /// Hue rotation of one planar RGB image in place: <see cref="RotateHue(Vector{float}, Vector{float}, Vector{float}, float)"/>
    /// a SIMD register of pixels at a time, the scalar formula for the tail (the same IEEE
    /// operations in the same order, so both give identical bits; a test holds them to it).
    /// </summary>
    public static void Hue(Span<float> image, float shift)
    {
        int plane = image.Length / 3, i = 0;
        ref float red = ref MemoryMarshal.GetReference(image);
        ref float green = ref Unsafe.Add(ref red, plane);
        ref float blue = ref Unsafe.Add(ref red, 2 * plane);
        for (; i <= plane - Vector<float>.Count; i += Vector<float>.Count)
        {
            var (r, g, b) = RotateHue(Vector.LoadUnsafe(ref red, (nuint)i), Vector.LoadUnsafe(ref green, (nuint)i), Vector.LoadUnsafe(ref blue, (nuint)i), shift);
            r.StoreUnsafe(ref red, (nuint)i);
            g.StoreUnsafe(ref green, (nuint)i);
            b.StoreUnsafe(ref blue, (nuint)i);
        }
        HueScalar(image, shift, i);
    }

    /// <summary>The scalar hue rotation of pixels <paramref name="from"/> … end (the vector kernel's tail and its test reference).</summary>
    internal static void HueScalar(Span<float> image, float shift, int from = 0)
    {
        int plane = image.Length / 3;
        ref float red = ref MemoryMarshal.GetReference(image);
        ref float green = ref Unsafe.Add(ref red, plane);
        ref float blue = ref Unsafe.Add(ref red, 2 * plane);
        for (int i = from; i < plane; i++) RotateHue(ref Unsafe.Add(ref red, i), ref Unsafe.Add(ref green, i), ref Unsafe.Add(ref blue, i), shift);
    }

    /// <summary><see cref="RotateHue(ref float, ref float, ref float, float)"/> on a register of pixels, branches turned into selects.</summary>
    private static (Vector<float> R, Vector<float> G, Vector<float> B) RotateHue(Vector<float> r, Vector<float> g, Vector<float> b, float shift)
    {
        var one = Vector<float>.One;
        var max = Vector.Max(r, Vector.Max(g, b));
        var min = Vector.Min(r, Vector.Min(g, b));
        var flat = Vector.Equals(max, min);
        var chroma = max - min;
        var s = chroma / Vector.ConditionalSelect(flat, one, max);
        var divisor = Vector.ConditionalSelect(flat, one, chroma);
        var rc = (max - r) / divisor;
        var gc = (max - g) / divisor;
        var bc = (max - b) / divisor;
        var maxIsR = Vector.Equals(max, r);
        var maxIsG = Vector.AndNot(Vector.Equals(max, g), maxIsR);
        var h = Vector.ConditionalSelect(maxIsR, bc - gc,
                Vector.ConditionalSelect(maxIsG, new Vector<float>(2f) + rc - bc, new Vector<float>(4f) + gc - rc));
        h = h / new Vector<float>(6f) + one;
        h -= Vector.Floor(h);
        h += new Vector<float>(shift);
        h -= Vector.Floor(h);
        var six = new Vector<float>(6f);
        var sector = Vector.Floor(h * six);
        var f = h * six - sector;
        sector = Vector.ConditionalSelect(Vector.GreaterThanOrEqual(sector, six), sector - six, sector); // h may round up to 1: sector 6 is 0
        var v = max;
        var p = Clamp01(v * (one - s));
        var q = Clamp01(v * (one - s * f));
        var t = Clamp01(v * (one - s * (one - f)));
        // Sectors 0–5 give (r, g, b) = (v,t,p) (q,v,p) (p,v,t) (p,q,v) (t,p,v) (v,p,q).
        var is0 = Vector.Equals(sector, Vector<float>.Zero);
        var is1 = Vector.Equals(sector, one);
        var is2 = Vector.Equals(sector, new Vector<float>(2f));
        var is3 = Vector.Equals(sector, new Vector<float>(3f));
        var is4 = Vector.Equals(sector, new Vector<float>(4f));
        var red = Pick(is0, v, is1, q, is2, p, is3, p, is4, t, v);
        var green = Pick(is0, t, is1, v, is2, v, is3, q, is4, p, p);
        var blue = Pick(is0, p, is1, p, is2, t, is3, v, is4, v, q);
        return (red, green, blue);
    }

    private static Vector<float> Clamp01(Vector<float> x) => Vector.Min(Vector.Max(x, Vector<float>.Zero), Vector<float>.One);

    /// <summary>The value of the first true mask among sectors 0–4, else <paramref name="x5"/>.</summary>
    private static Vector<float> Pick(Vector<int> is0, Vector<float> x0, Vector<int> is1, Vector<float> x1, Vector<int> is2, Vector<float> x2,
                                      Vector<int> is3, Vector<float> x3, Vector<int> is4, Vector<float> x4, Vector<float> x5) =>
        Vector.ConditionalSelect(is0, x0, Vector.ConditionalSelect(is1, x1, Vector.ConditionalSelect(is2, x2,
            Vector.ConditionalSelect(is3, x3, Vector.ConditionalSelect(is4, x4, x5)))));

    private static void RotateHue(ref float r, ref float g, ref float b, float shift)
    {
        float max = MathF.Max(r, MathF.Max(g, b)), min = MathF.Min(r, MathF.Min(g, b));
        bool flat = max == min;
        float chroma = max - min;
        float s = chroma / (flat ? 1f : max);
        float divisor = flat ? 1f : chroma;
        float rc = (max - r) / divisor, gc = (max - g) / divisor, bc = (max - b) / divisor;
        float h = max == r ? bc - gc : max == g ? 2f + rc - bc : 4f + gc - rc;
        h = h / 6f + 1f;
        h -= MathF.Floor(h); // torchvision's fmod(·, 1): exact for h ≥ 0, and much cheaper than %
        h += shift;
        h -= MathF.Floor(h);
        float sector = MathF.Floor(h * 6f);
        float f = h * 6f - sector;
        float v = max;
        float p = Math.Clamp(v * (1f - s), 0f, 1f);
        float q = Math.Clamp(v * (1f - s * f), 0f, 1f);
        float t = Math.Clamp(v * (1f - s * (1f - f)), 0f, 1f);
        switch (((int)sector % 6 + 6) % 6)
        {
            case 0: (r, g, b) = (v, t, p); break;
            case 1: (r, g, b) = (q, v, p); break;
            case 2: (r, g, b) = (p, v, t); break;
            case 3: (r, g, b) = (p, q, v); break;
            case 4: (r, g, b) = (t, p, v); break;
            default: (r, g, b) = (v, p, q); break;
        }
    }

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

    /// <summary>x ← clamp(x, 0, 1).</summary>
    public static void Clamp(Span<float> image) => Blend(image, 1f, 0f);

    /// <summary>x ← clamp(factor · x) (torchvision's adjust_brightness).</summary>
    public static void Brightness(Span<float> image, float factor) => Blend(image, factor, 0f);

    /// <summary>x ← clamp(factor · x + (1 − factor) · mean luma) (torchvision's adjust_contrast).</summary>
    public static void Contrast(Span<float> image, int channels, float factor)
    {
        int plane = image.Length / channels;
        Blend(image, factor, (1 - factor) * (float)(LumaSum(image, channels) / plane));
    }

    /// <summary>Σ luma over the image: float lumas a register at a time, summed in double lanes (the float32 mean of torchvision to ≤ 1e-7).</summary>
    private static double LumaSum(ReadOnlySpan<float> image, int channels)
    {
        int plane = image.Length / channels, i = 0;
        ref float red = ref MemoryMarshal.GetReference(image);
        ref float green = ref Unsafe.Add(ref red, channels == 3 ? plane : 0);
        ref float blue = ref Unsafe.Add(ref red, channels == 3 ? 2 * plane : 0);
        Vector<double> low = default, high = default;
        for (; i <= plane - Vector<float>.Count; i += Vector<float>.Count)
        {
            var r = Vector.LoadUnsafe(ref red, (nuint)i);
            var luma = channels == 1 ? r : Luma(r, Vector.LoadUnsafe(ref green, (nuint)i), Vector.LoadUnsafe(ref blue, (nuint)i));
            Vector.Widen(luma, out var a, out var b);
            low += a;
            high += b;
        }
        double sum = Vector.Sum(low + high);
        for (; i < plane; i++) sum += Luma(image, channels, plane, i);
        return sum;
    }

    /// <summary>x ← clamp(factor · x + (1 − factor) · luma) per pixel (torchvision's adjust_saturation); nothing for grey.</summary>
    public static void Saturation(Span<float> image, int channels, float factor)
    {
        if (channels == 1) return;
        int plane = image.Length / channels, i = 0;
        ref float red = ref MemoryMarshal.GetReference(image);
        ref float green = ref Unsafe.Add(ref red, plane);
        ref float blue = ref Unsafe.Add(ref red, 2 * plane);
        var f = new Vector<float>(factor);
        var rest = new Vector<float>(1 - factor);
        for (; i <= plane - Vector<float>.Count; i += Vector<float>.Count)
        {
            var r = Vector.LoadUnsafe(ref red, (nuint)i);
            var g = Vector.LoadUnsafe(ref green, (nuint)i);
            var b = Vector.LoadUnsafe(ref blue, (nuint)i);
            var grey = rest * Luma(r, g, b);
            Clamp01(f * r + grey).StoreUnsafe(ref red, (nuint)i);
            Clamp01(f * g + grey).StoreUnsafe(ref green, (nuint)i);
            Clamp01(f * b + grey).StoreUnsafe(ref blue, (nuint)i);
        }
        for (; i < plane; i++)
        {
            float grey = (1 - factor) * Luma(image, 3, plane, i);
            for (int c = 0; c < 3; c++) image[c * plane + i] = Math.Clamp(factor * image[c * plane + i] + grey, 0f, 1f);
        }
    }

    /// <summary>The luma of a register of pixels, in <see cref="Luma(ReadOnlySpan{float}, int, int, int)"/>'s order of operations.</summary>
    private static Vector<float> Luma(Vector<float> r, Vector<float> g, Vector<float> b) =>
        new Vector<float>(Grey.Red) * r + new Vector<float>(Grey.Green) * g + new Vector<float>(Grey.Blue) * b;

    /// <summary>Every channel ← luma; nothing for grey.</summary>
    public static void Grayscale(Span<float> image, int channels)
    {
        if (channels == 1) return;
        int plane = image.Length / channels;
        for (int i = 0; i < plane; i++) image[i] = image[plane + i] = image[2 * plane + i] = Luma(image, 3, plane, i);
    }

    /// <summary>x ← 1 − x where x ≥ 0.5.</summary>
    public static void Solarize(Span<float> image)
    {
        var vectors = MemoryMarshal.Cast<float, Vector<float>>(image);
        var half = new Vector<float>(0.5f);
        for (int v = 0; v < vectors.Length; v++)
            vectors[v] = Vector.ConditionalSelect(Vector.GreaterThanOrEqual(vectors[v], half), Vector<float>.One - vectors[v], vectors[v]);
        for (int i = vectors.Length * Vector<float>.Count; i < image.Length; i++) if (image[i] >= 0.5f) image[i] = 1f - image[i];
    }

    /// <summary>x ← (x − mean[c]) / std[c].</summary>
    public static void Normalize(Span<float> image, Normalization normalization)
    {
        int plane = image.Length / normalization.Channels;
        for (int c = 0; c < normalization.Channels; c++)
        {
            float mean = normalization.Mean[c], std = normalization.Std[c];
            var channel = image.Slice(c * plane, plane);
            var vectors = MemoryMarshal.Cast<float, Vector<float>>(channel);
            for (int v = 0; v < vectors.Length; v++) vectors[v] = (vectors[v] - new Vector<float>(mean)) / new Vector<float>(std);
            for (int i = vectors.Length * Vector<float>.Count; i < plane; i++) channel[i] = (channel[i] - mean) / std;
        }
    }

    private static float Luma(ReadOnlySpan<float> image, int channels, int plane, int i) =>
        channels == 1 ? image[i] : Grey.Red * image[i] + Grey.Green * image[plane + i] + Grey.Blue * image[2 * plane + i];

    /// <summary>x ← clamp(factor · x + offset, 0, 1), SIMD.</summary>
    private static void Blend(Span<float> image, float factor, float offset)
    {
        var vectors = MemoryMarshal.Cast<float, Vector<float>>(image);
        var f = new Vector<float>(factor);
        var o = new Vector<float>(offset);
        for (int v = 0; v < vectors.Length; v++)
            vectors[v] = Vector.Min(Vector.Max(vectors[v] * f + o, Vector<float>.Zero), Vector<float>.One);
        for (int i = vectors.Length * Vector<float>.Count; i < image.Length; i++) image[i] = Math.Clamp(factor * image[i] + offset, 0f, 1f);
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
