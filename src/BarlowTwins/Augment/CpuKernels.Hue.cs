using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace BarlowTwins.Augment;

// Hue rotation, torchvision's _rgb2hsv / _hsv2rgb per pixel, SIMD with a scalar tail (the class: CpuKernels.cs).
internal static partial class CpuKernels
{
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
}
