namespace BarlowTwins.Augment;

/// <summary>The luma weights of torchvision's rgb_to_grayscale (ITU-R 601-2, as TensorFlow rounds them).</summary>
internal static class Grey
{
    public const float Red = 0.2989f;
    public const float Green = 0.587f;
    public const float Blue = 0.114f;
}
