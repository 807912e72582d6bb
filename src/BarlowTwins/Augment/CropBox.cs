namespace BarlowTwins.Augment;

/// <summary>A rectangle of source pixels: top row, left column, height and width.</summary>
public readonly record struct CropBox(int Top, int Left, int Height, int Width)
{
    /// <summary>The whole of a <paramref name="height"/> × <paramref name="width"/> image.</summary>
    public static CropBox Whole(int height, int width) => new(0, 0, height, width);

    /// <summary>Throws when the box is empty or leaves a <paramref name="height"/> × <paramref name="width"/> image.</summary>
    public void EnsureInside(int height, int width)
    {
        if (Height <= 0 || Width <= 0 || Top < 0 || Left < 0 || Top + Height > height || Left + Width > width)
            throw new ArgumentOutOfRangeException(nameof(CropBox), this, $"crop box must lie inside the {height}×{width} image");
    }
}
