using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace BarlowTwins.Augment;

// The pointwise colour ops: clamp, brightness, contrast, saturation, grayscale, solarize, normalize (the class: CpuKernels.cs).
internal static partial class CpuKernels
{
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
}
