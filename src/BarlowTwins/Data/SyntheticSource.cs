namespace BarlowTwins.Data;

/// <summary>
/// Procedural labelled images for demos and tests: ten classes of shapes and textures (disc,
/// square, triangle, cross, ring; horizontal, vertical and diagonal stripes, checkerboard, dots),
/// each drawn at a random place, size, phase and pair of colours, with a little noise, so that
/// telling classes apart takes learning and survives cropping, flipping and colour jitter. Image i
/// depends only on (seed, split, i); label i is i mod 10, so classes are balanced. Nothing is
/// stored: every <see cref="Get"/> draws the image again.
/// </summary>
public sealed class SyntheticSource : IImageSource
{
    private readonly int size;
    private readonly long seed;

    /// <summary>The class names, by label.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["disc", "square", "triangle", "cross", "ring", "horizontal stripes", "vertical stripes", "diagonal stripes", "checkerboard", "dots"];

    /// <summary>A source of <paramref name="count"/> images of <paramref name="size"/>² pixels.</summary>
    public SyntheticSource(int count, int size = 32, int channels = 3, long seed = 0, string name = "synthetic")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 8);
        if (channels is not (1 or 3)) throw new ArgumentException($"Synthetic images have 1 or 3 channels, not {channels}.", nameof(channels));
        (Count, this.size, Channels, this.seed) = (count, size, channels, seed);
        Description = $"{name} ({count} images {size}×{size}×{channels}, {ClassNames.Count} classes)";
    }

    /// <inheritdoc />
    public int Count { get; }

    /// <inheritdoc />
    public int Channels { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> Classes => ClassNames;

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    public ImageSample Get(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        int label = index % ClassNames.Count;
        var random = new SplitMix64((ulong)SplitMix64.Derive(seed, index));
        var shape = SyntheticShapes.Draw(label, size, ref random);
        var (foreground, background) = SyntheticShapes.Colours(ref random);
        var pixels = new byte[size * size * Channels];
        for (int pixel = 0; pixel < size * size; pixel++)
        {
            var colour = shape[pixel] ? foreground : background;
            int noise = random.NextInt(17) - 8;
            if (Channels == 1)
                pixels[pixel] = Clamp(Luma.Of(colour[0], colour[1], colour[2]) + noise);
            else
                for (int c = 0; c < 3; c++) pixels[3 * pixel + c] = Clamp(colour[c] + noise);
        }
        return new ImageSample(pixels, size, size, Channels, label);
    }

    private static byte Clamp(int value) => (byte)Math.Clamp(value, 0, 255);
}
