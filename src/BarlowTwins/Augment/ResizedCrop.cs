using BarlowTwins.Data;

namespace BarlowTwins.Augment;

/// <summary>
/// Per-image geometry: crop a box, resize it (antialiased, PIL-style separable resampling),
/// optionally mirror it, and write planar floats in [0, 1] (overshoot of the cubic kernel is kept;
/// the photometric stage clamps). Channel counts are adapted: a grey source fills every output
/// channel, an RGB source becomes ITU-R 601 luma for a 1-channel output.
/// </summary>
public static class ResizedCrop
{
    /// <summary>
    /// Renders <paramref name="box"/> of <paramref name="image"/> at <paramref name="height"/> ×
    /// <paramref name="width"/> into <paramref name="destination"/> (channels × height × width,
    /// where channels = destination.Length / (height · width)).
    /// </summary>
    public static void Render(ImageSample image, CropBox box, int height, int width, bool flip,
                              ResampleFilter filter, Span<float> destination)
    {
        box.EnsureInside(image.Height, image.Width);
        var rows = AxisWeights.Create(filter, box.Top, box.Height, height, 0, height, false, 1 / 255.0);
        var cols = AxisWeights.Create(filter, box.Left, box.Width, width, 0, width, flip);
        Render(image, rows, cols, destination);
    }

    /// <summary>
    /// Resizes the whole image so its shorter side is <paramref name="resize"/> (the longer side
    /// scaled and truncated, as torchvision's Resize), then keeps the centred
    /// <paramref name="size"/> × <paramref name="size"/> square, in one pass.
    /// </summary>
    public static void RenderCentred(ImageSample image, int resize, int size, ResampleFilter filter, Span<float> destination)
    {
        bool portrait = image.Height > image.Width;
        int shorter = Math.Min(image.Height, image.Width), longer = Math.Max(image.Height, image.Width);
        int resizedLonger = resize == shorter ? longer : (int)((double)resize * longer / shorter);
        int resizedHeight = portrait ? resizedLonger : resize, resizedWidth = portrait ? resize : resizedLonger;
        if (size > resizedHeight || size > resizedWidth)
            throw new ArgumentOutOfRangeException(nameof(size), size, $"centre crop larger than the image resized to {resizedHeight}×{resizedWidth}");
        int top = (int)Math.Round((resizedHeight - size) / 2.0, MidpointRounding.ToEven);
        int left = (int)Math.Round((resizedWidth - size) / 2.0, MidpointRounding.ToEven);
        var rows = AxisWeights.Create(filter, 0, image.Height, resizedHeight, top, size, false, 1 / 255.0);
        var cols = AxisWeights.Create(filter, 0, image.Width, resizedWidth, left, size, false);
        Render(image, rows, cols, destination);
    }

    private static void Render(ImageSample image, AxisWeights rows, AxisWeights cols, Span<float> destination)
    {
        int plane = rows.Length * cols.Length;
        int channels = destination.Length / plane;
        if (destination.Length != channels * plane || channels is not (1 or 3))
            throw new ArgumentException($"destination holds {destination.Length} floats, not 1 or 3 planes of {plane}");
        if (image.Channels == channels)
        {
            Resampler.Resample(image.Pixels, image.Width, image.Channels, rows, cols, destination);
        }
        else if (image.Channels == 1)
        {
            Resampler.Resample(image.Pixels, image.Width, 1, rows, cols, destination[..plane]);
            destination[..plane].CopyTo(destination[plane..]);
            destination[..plane].CopyTo(destination[(2 * plane)..]);
        }
        else
        {
            var rgb = new float[3 * plane];
            Resampler.Resample(image.Pixels, image.Width, 3, rows, cols, rgb);
            for (int i = 0; i < plane; i++)
                destination[i] = Grey.Red * rgb[i] + Grey.Green * rgb[plane + i] + Grey.Blue * rgb[2 * plane + i];
        }
    }
}
