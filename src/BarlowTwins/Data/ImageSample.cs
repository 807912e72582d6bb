namespace BarlowTwins.Data;

/// <summary>
/// One decoded image: 8-bit pixels in height × width × channels order (channels 1 or 3),
/// and its class index (−1 when the source has no labels).
/// </summary>
public sealed record ImageSample(byte[] Pixels, int Height, int Width, int Channels, int Label)
{
    /// <summary>The label used for images without one.</summary>
    public const int Unlabelled = -1;
}
