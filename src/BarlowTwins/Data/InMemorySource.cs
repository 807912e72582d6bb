namespace BarlowTwins.Data;

/// <summary>
/// Equal-sized images held in one byte array (height × width × channels per image, images back to
/// back) with one label byte each: what the IDX and CIFAR loaders produce. Reading is lock-free.
/// </summary>
internal sealed class InMemorySource : IImageSource
{
    private readonly byte[] pixels;
    private readonly byte[] labels;
    private readonly int height, width, imageBytes;

    /// <summary>Wraps already-decoded images; checks that sizes and labels agree.</summary>
    public InMemorySource(byte[] pixels, byte[] labels, int height, int width, int channels,
                          IReadOnlyList<string> classes, string name)
    {
        (this.pixels, this.labels, this.height, this.width) = (pixels, labels, height, width);
        Channels = channels;
        Classes = classes;
        imageBytes = height * width * channels;
        if (labels.Length == 0)
            throw new InvalidDataException($"{name} holds no images.");
        if ((long)labels.Length * imageBytes != pixels.Length)
            throw new InvalidDataException(
                $"{name}: {pixels.Length / imageBytes} images but {labels.Length} labels; the image and label files do not belong together.");
        int outOfRange = Array.FindIndex(labels, label => label >= classes.Count);
        if (outOfRange >= 0)
            throw new InvalidDataException(
                $"{name}: label {labels[outOfRange]} of image {outOfRange} is outside the {classes.Count} classes 0–{classes.Count - 1}.");
        Description = $"{name} ({Count} images {height}×{width}×{channels}, {classes.Count} classes)";
    }

    /// <inheritdoc />
    public int Count => labels.Length;

    /// <inheritdoc />
    public int Channels { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> Classes { get; }

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    public ImageSample Get(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        var image = pixels.AsSpan((int)((long)index * imageBytes), imageBytes).ToArray();
        return new ImageSample(image, height, width, Channels, labels[index]);
    }
}
