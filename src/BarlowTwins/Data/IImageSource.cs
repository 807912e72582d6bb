namespace BarlowTwins.Data;

/// <summary>
/// A finite, indexable collection of decoded images. A source knows nothing of augmentation;
/// <see cref="Get"/> must be safe to call from several threads at once.
/// </summary>
public interface IImageSource
{
    /// <summary>Number of images.</summary>
    int Count { get; }

    /// <summary>Channels every <see cref="Get"/> returns (1 or 3).</summary>
    int Channels { get; }

    /// <summary>Class names by label index; empty for unlabelled sources.</summary>
    IReadOnlyList<string> Classes { get; }

    /// <summary>A short human description, e.g. "fashion-mnist train (60000 images, 10 classes)".</summary>
    string Description { get; }

    /// <summary>The image at <paramref name="index"/> (0 ≤ index &lt; <see cref="Count"/>).</summary>
    ImageSample Get(int index);

    /// <summary>The file the image at <paramref name="index"/> is read from, or null for sources not made of files.</summary>
    string? PathOf(int index) => null;
}
