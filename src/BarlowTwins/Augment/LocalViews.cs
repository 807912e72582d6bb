namespace BarlowTwins.Augment;

/// <summary>
/// Multi-crop's small views (Caron et al. 2020, SwAV), an option beyond the paper: besides the two
/// global views, each image gets <paramref name="Count"/> random resized crops of
/// <paramref name="Size"/> px, drawn with <paramref name="View"/> (view B's photometric ops with
/// their own crop-scale range). They run through the twin as one batch of their own resolution
/// (see <c>Loss.MultiCropLoss</c> for the objective they enter).
/// </summary>
/// <param name="Count">Small views per image, K ≥ 1.</param>
/// <param name="Size">Side of each small view in pixels.</param>
/// <param name="View">Crop range and photometric ops of the small views.</param>
public sealed record LocalViews(int Count, int Size, ViewRecipe View)
{
    /// <summary>Throws a clear error for anything a transform cannot run with.</summary>
    public void Validate()
    {
        if (Count < 1) throw new ArgumentOutOfRangeException(nameof(Count), Count, "Local views need a count of at least 1");
        if (Size < 4) throw new ArgumentOutOfRangeException(nameof(Size), Size, "Local views must be at least 4 px");
        View.Validate();
    }

    /// <summary>
    /// <paramref name="global"/>'s view B with the crop-scale range <paramref name="scale"/>: the
    /// photometric strength of the rarely blurred, sometimes solarized view.
    /// </summary>
    public static LocalViews FromViewB(TwoViewRecipe global, int count, int size, Interval scale) =>
        new(count, size, global.B with { CropScale = scale });
}
