using static TorchSharp.torch;

namespace BarlowTwins.Augment;

/// <summary>
/// Applies the photometric half of one view to a batch: each operation runs once, batched, on
/// exactly the images whose draws selected it (index_select → op → index_copy), with their own
/// parameters. Colour jitter's random order per image becomes four rounds: in round k every
/// operation runs on the images that put it k-th.
/// </summary>
internal static class ViewPhotometrics
{
    private static readonly Func<Tensor, Tensor, Tensor>[] JitterOps =
        [Photometric.Brightness, Photometric.Contrast, Photometric.Saturation, Photometric.Hue];

    private static readonly string[] JitterNames = ["brightness", "contrast", "saturation", "hue"];

    /// <summary>Jitter, greyscale, blur, solarize on <paramref name="images"/> (N × C × H × W in [0, 1], clamped on entry).</summary>
    public static Tensor Apply(Tensor images, IReadOnlyList<ViewDraw> draws, int blurKernelSize)
    {
        images = images.clamp(0, 1);
        for (int position = 0; position < 4; position++)
            for (int op = 0; op < 4; op++)
            {
                int p = position, o = op;
                images = ApplyTo(images, draws, d => d.Jitter && d.Order[p] == o, d => d.Factor(o), JitterOps[o]);
            }
        images = ApplyTo(images, draws, d => d.Grayscale, _ => 0, (x, _) => Photometric.Grayscale(x));
        images = ApplyTo(images, draws, d => d.Blur, d => d.Sigma, (x, s) => Photometric.GaussianBlur(x, s, blurKernelSize));
        return ApplyTo(images, draws, d => d.Solarize, _ => 0, (x, _) => Photometric.Solarize(x));
    }

    /// <summary>
    /// The same operations on one planar image in place, for CPU batches: run per image on the
    /// worker thread that just resized it (its pixels still in cache), then normalised. Equal to
    /// <see cref="Apply"/> up to float rounding (the tests hold them to each other).
    /// </summary>
    public static void ApplyInPlace(Span<float> image, int channels, int size, ViewDraw draw, int blurKernelSize, Normalization normalization,
                                    StageClock? clock = null)
    {
        CpuKernels.Clamp(image);
        clock?.Lap("clamp");
        for (int position = 0; draw.Jitter && position < 4; position++)
        {
            int op = draw.Order[position];
            float factor = draw.Factor(op);
            switch (op)
            {
                case 0: CpuKernels.Brightness(image, factor); break;
                case 1: CpuKernels.Contrast(image, channels, factor); break;
                case 2: CpuKernels.Saturation(image, channels, factor); break;
                default: if (channels == 3) CpuKernels.Hue(image, factor); break;
            }
            clock?.Lap(JitterNames[op]);
        }
        if (draw.Grayscale) CpuKernels.Grayscale(image, channels);
        clock?.Lap("grey");
        if (draw.Blur) CpuKernels.GaussianBlur(image, size, size, draw.Sigma, blurKernelSize);
        clock?.Lap("blur");
        if (draw.Solarize) CpuKernels.Solarize(image);
        clock?.Lap("solarize");
        CpuKernels.Normalize(image, normalization);
        clock?.Lap("normalize");
    }

    private static Tensor ApplyTo(Tensor images, IReadOnlyList<ViewDraw> draws, Func<ViewDraw, bool> selected,
                                  Func<ViewDraw, float> parameter, Func<Tensor, Tensor, Tensor> op)
    {
        var members = new List<long>();
        var parameters = new List<float>();
        for (int i = 0; i < draws.Count; i++)
            if (selected(draws[i]))
            {
                members.Add(i);
                parameters.Add(parameter(draws[i]));
            }
        if (members.Count == 0) return images;
        var values = tensor(parameters.ToArray(), device: images.device);
        if (members.Count == draws.Count) return op(images, values);
        var index = tensor(members.ToArray(), device: images.device);
        return images.index_copy(0, index, op(images.index_select(0, index), values));
    }
}
