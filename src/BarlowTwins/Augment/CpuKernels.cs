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

    /// <summary>Hue rotation of one planar RGB image in place.</summary>
    public static void Hue(Span<float> image, float shift)
    {
        int plane = image.Length / 3;
        ref float red = ref MemoryMarshal.GetReference(image);
        ref float green = ref Unsafe.Add(ref red, plane);
        ref float blue = ref Unsafe.Add(ref red, 2 * plane);
        for (int i = 0; i < plane; i++) RotateHue(ref Unsafe.Add(ref red, i), ref Unsafe.Add(ref green, i), ref Unsafe.Add(ref blue, i), shift);
    }

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

    /// <summary>Gaussian blur of one planar image (any number of channels) in place.</summary>
    public static void GaussianBlur(Span<float> image, int height, int width, float sigma, int kernelSize)
    {
        int plane = height * width;
        var kernel = GaussianKernel(sigma, kernelSize);
        var rows = ArrayPool<float>.Shared.Rent(plane);
        var padded = ArrayPool<float>.Shared.Rent(width + kernelSize);
        for (int at = 0; at < image.Length; at += plane)
        {
            BlurColumns(image.Slice(at, plane), rows.AsSpan(0, plane), height, width, kernel);
            BlurRows(rows.AsSpan(0, plane), image.Slice(at, plane), height, width, kernel, padded);
        }
        ArrayPool<float>.Shared.Return(rows);
        ArrayPool<float>.Shared.Return(padded);
    }

    /// <summary>x ← clamp(x, 0, 1).</summary>
    public static void Clamp(Span<float> image) => Blend(image, 1f, 0f);

    /// <summary>x ← clamp(factor · x) (torchvision's adjust_brightness).</summary>
    public static void Brightness(Span<float> image, float factor) => Blend(image, factor, 0f);

    /// <summary>x ← clamp(factor · x + (1 − factor) · mean luma) (torchvision's adjust_contrast).</summary>
    public static void Contrast(Span<float> image, int channels, float factor)
    {
        int plane = image.Length / channels;
        double sum = 0;
        for (int i = 0; i < plane; i++) sum += Luma(image, channels, plane, i);
        Blend(image, factor, (1 - factor) * (float)(sum / plane));
    }

    /// <summary>x ← clamp(factor · x + (1 − factor) · luma) per pixel (torchvision's adjust_saturation); nothing for grey.</summary>
    public static void Saturation(Span<float> image, int channels, float factor)
    {
        if (channels == 1) return;
        int plane = image.Length / channels;
        for (int i = 0; i < plane; i++)
        {
            float grey = (1 - factor) * Luma(image, 3, plane, i);
            for (int c = 0; c < 3; c++) image[c * plane + i] = Math.Clamp(factor * image[c * plane + i] + grey, 0f, 1f);
        }
    }

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

    /// <summary>Vertical pass: each output row sums K reflected input rows, a SIMD register per chunk of columns.</summary>
    private static void BlurColumns(ReadOnlySpan<float> source, Span<float> target, int height, int width, float[] kernel)
    {
        int half = kernel.Length / 2;
        Span<int> rowStart = stackalloc int[kernel.Length];
        ref float input = ref MemoryMarshal.GetReference(source);
        ref float output = ref MemoryMarshal.GetReference(target);
        for (int y = 0; y < height; y++)
        {
            for (int k = 0; k < kernel.Length; k++) rowStart[k] = Reflect(y + k - half, height) * width;
            int x = 0;
            for (; x <= width - Vector<float>.Count; x += Vector<float>.Count)
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

    /// <summary>Horizontal pass over a reflect-padded copy of each row, a SIMD register per chunk of columns.</summary>
    private static void BlurRows(ReadOnlySpan<float> source, Span<float> target, int height, int width, float[] kernel, float[] padded)
    {
        int half = kernel.Length / 2;
        for (int y = 0; y < height; y++)
        {
            var row = source.Slice(y * width, width);
            for (int x = -half; x < width + half; x++) padded[x + half] = row[Reflect(x, width)];
            var output = target.Slice(y * width, width);
            int start = 0;
            for (; start <= width - Vector<float>.Count; start += Vector<float>.Count)
            {
                var sum = Vector<float>.Zero;
                for (int k = 0; k < kernel.Length; k++) sum += Vector.LoadUnsafe(ref padded[0], (nuint)(start + k)) * kernel[k];
                sum.StoreUnsafe(ref output[0], (nuint)start);
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
