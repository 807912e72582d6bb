using TorchSharp;
using static TorchSharp.torch;

namespace BarlowTwins.Augment;

/// <summary>
/// Photometric operations on a batch of images in [0, 1] (N × C × H × W, float), each with its
/// own parameter per image (a tensor of N values). They follow torchvision's tensor functional
/// ops number for number. One-channel images: saturation, hue and greyscale leave them unchanged
/// (a grey image has no chroma to scale, rotate or remove — torchvision and PIL agree);
/// brightness, contrast, blur, solarize and normalize apply as usual.
/// </summary>
public static class Photometric
{
    /// <summary>x · factor, clamped to [0, 1] (blend with black).</summary>
    public static Tensor Brightness(Tensor images, Tensor factors) =>
        (PerImage(factors) * images).clamp(0, 1);

    /// <summary>Blend with the mean luma of each image: factor · x + (1 − factor) · mean, clamped.</summary>
    public static Tensor Contrast(Tensor images, Tensor factors)
    {
        using var scope = NewDisposeScope();
        var mean = Luma(images).mean([1, 2, 3], keepdim: true);
        return Blend(images, mean, factors).MoveToOuterDisposeScope();
    }

    /// <summary>Blend with the luma image: factor · x + (1 − factor) · grey, clamped. Identity for 1 channel.</summary>
    public static Tensor Saturation(Tensor images, Tensor factors)
    {
        if (images.shape[1] == 1) return images.alias();
        using var scope = NewDisposeScope();
        return Blend(images, Luma(images), factors).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Rotates the hue by <paramref name="shifts"/> turns (−0.5 … 0.5) through RGB → HSV → RGB,
    /// exactly as torchvision's adjust_hue. Identity for 1 channel.
    /// </summary>
    public static Tensor Hue(Tensor images, Tensor shifts)
    {
        if (images.shape[1] == 1) return images.alias();
        return CpuKernels.Applies(images) ? CpuKernels.Hue(images, Values(shifts)) : HueTensor(images, shifts);
    }

    /// <summary>The device-agnostic hue rotation: torchvision's adjust_hue as tensor ops.</summary>
    internal static Tensor HueTensor(Tensor images, Tensor shifts)
    {
        using var scope = NewDisposeScope();
        var (h, s, v) = ToHsv(images);
        h = (h + shifts.view(-1, 1, 1)).remainder(1.0);
        return FromHsv(h, s, v).MoveToOuterDisposeScope();
    }

    /// <summary>0.2989 R + 0.587 G + 0.114 B in every channel. Identity for 1 channel.</summary>
    public static Tensor Grayscale(Tensor images) =>
        images.shape[1] == 1 ? images.alias() : Luma(images).expand(images.shape).contiguous();

    /// <summary>
    /// Gaussian blur with one σ per image: a separable kernel of <paramref name="kernelSize"/>
    /// taps (odd), weights exp(−x²/2σ²) normalised to sum 1, reflect padding (torchvision's
    /// gaussian_blur, which convolves with the outer product of the same 1-D kernel).
    /// </summary>
    public static Tensor GaussianBlur(Tensor images, Tensor sigmas, int kernelSize)
    {
        if (kernelSize < 1 || kernelSize % 2 == 0) throw new ArgumentOutOfRangeException(nameof(kernelSize), kernelSize, "kernel size must be odd and positive");
        int half = kernelSize / 2;
        if (half >= images.shape[2] || half >= images.shape[3])
            throw new ArgumentException($"a {kernelSize}-tap blur needs images larger than {half} px for reflect padding, got {images.shape[2]}×{images.shape[3]}");
        return CpuKernels.Applies(images)
            ? CpuKernels.GaussianBlur(images, Values(sigmas), kernelSize)
            : GaussianBlurTensor(images, sigmas, kernelSize);
    }

    /// <summary>The device-agnostic blur: two grouped convolutions with one kernel per image plane.</summary>
    internal static Tensor GaussianBlurTensor(Tensor images, Tensor sigmas, int kernelSize)
    {
        using var scope = NewDisposeScope();
        long n = images.shape[0], c = images.shape[1], height = images.shape[2], width = images.shape[3];
        int half = kernelSize / 2;
        var offsets = linspace(-half, half, kernelSize, dtype: images.dtype, device: images.device);
        var pdf = (-0.5 * (offsets.unsqueeze(0) / sigmas.to(images.dtype).view(-1, 1)).pow(2)).exp();
        var kernels = (pdf / pdf.sum(1, keepdim: true)).repeat_interleave(c, 0); // (N·C) × K
        var planes = images.reshape(1, n * c, height, width);
        var padded = nn.functional.pad(planes, [half, half, half, half], PaddingModes.Reflect);
        var rows = nn.functional.conv2d(padded, kernels.view(n * c, 1, kernelSize, 1), groups: n * c);
        var both = nn.functional.conv2d(rows, kernels.view(n * c, 1, 1, kernelSize), groups: n * c);
        return both.view(n, c, height, width).MoveToOuterDisposeScope();
    }

    /// <summary>Pixels ≥ <paramref name="threshold"/> become 1 − x.</summary>
    public static Tensor Solarize(Tensor images, double threshold = 0.5) =>
        where(images >= threshold, 1.0 - images, images);

    /// <summary>(x − mean) / std per channel.</summary>
    public static Tensor Normalize(Tensor images, float[] mean, float[] std)
    {
        using var scope = NewDisposeScope();
        var m = tensor(mean, device: images.device).view(1, -1, 1, 1);
        var s = tensor(std, device: images.device).view(1, -1, 1, 1);
        return ((images - m) / s).MoveToOuterDisposeScope();
    }

    /// <summary>N × 1 × H × W luma (the image itself for 1 channel).</summary>
    internal static Tensor Luma(Tensor images)
    {
        if (images.shape[1] == 1) return images.alias();
        using var scope = NewDisposeScope();
        var rgb = images.unbind(1);
        return (Grey.Red * rgb[0] + Grey.Green * rgb[1] + Grey.Blue * rgb[2]).unsqueeze(1).MoveToOuterDisposeScope();
    }

    private static float[] Values(Tensor parameters) => parameters.to_type(ScalarType.Float32).cpu().data<float>().ToArray();

    private static Tensor PerImage(Tensor factors) => factors.view(-1, 1, 1, 1);

    private static Tensor Blend(Tensor images, Tensor other, Tensor factors)
    {
        var f = PerImage(factors);
        return (f * images + (1 - f) * other).clamp(0, 1);
    }

    /// <summary>torchvision's _rgb2hsv: hue in [0, 1), with hue and saturation 0 where max = min.</summary>
    private static (Tensor H, Tensor S, Tensor V) ToHsv(Tensor images)
    {
        var rgb = images.unbind(1);
        Tensor r = rgb[0], g = rgb[1], b = rgb[2];
        var max = images.amax([1]);
        var min = images.amin([1]);
        var flat = max == min;
        var chroma = max - min;
        var one = ones_like(max);
        var s = chroma / where(flat, one, max);
        var divisor = where(flat, one, chroma);
        var rc = (max - r) / divisor;
        var gc = (max - g) / divisor;
        var bc = (max - b) / divisor;
        var maxIsR = max == r;
        var maxIsG = (max == g).logical_and(maxIsR.logical_not());
        var maxIsB = (max != g).logical_and(maxIsR.logical_not());
        var h = maxIsR * (bc - gc) + maxIsG * (2.0 + rc - bc) + maxIsB * (4.0 + gc - rc);
        h = (h / 6.0 + 1.0).fmod(1.0);
        return (h, s, max);
    }

    /// <summary>torchvision's _hsv2rgb: the sector of h·6 picks which of v, p, q, t each channel takes.</summary>
    private static Tensor FromHsv(Tensor h, Tensor s, Tensor v)
    {
        var i = (h * 6.0).floor();
        var f = h * 6.0 - i;
        var sector = i.to_type(ScalarType.Int64).remainder(6).unsqueeze(1);
        var p = (v * (1.0 - s)).clamp(0.0, 1.0);
        var q = (v * (1.0 - s * f)).clamp(0.0, 1.0);
        var t = (v * (1.0 - s * (1.0 - f))).clamp(0.0, 1.0);
        var red = stack([v, q, p, p, t, v], 1).gather(1, sector);
        var green = stack([t, v, v, q, p, p], 1).gather(1, sector);
        var blue = stack([p, p, t, v, v, q], 1).gather(1, sector);
        return cat([red, green, blue], 1);
    }
}
