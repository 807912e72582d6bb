using System.Globalization;

namespace BarlowTwins.Augment;

/// <summary>
/// Progressive resolution, a departure from the paper (an option, off in every preset): the two
/// global views of the first <see cref="Fraction"/> of a schedule's steps are cropped and resized
/// to <see cref="Size"/> px instead of the run's image size, the rest at full size. Small early
/// steps are cheaper; the idea is that of progressive resizing (fast.ai's training recipes,
/// "Budgeted Training", FixRes on the train/test size gap), not their code. Multi-crop's small
/// views keep their own size.
/// </summary>
/// <param name="Size">Side of the global views during the early steps, in pixels.</param>
/// <param name="Fraction">Share of the schedule's steps at <see cref="Size"/>, in (0, 1).</param>
public readonly record struct ProgressiveResolution(int Size, double Fraction)
{
    /// <summary>Reads <c>size,fraction</c> (e.g. <c>14,0.5</c>), as on the command line.</summary>
    public static ProgressiveResolution Parse(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int size)
                              && double.TryParse(parts[1], CultureInfo.InvariantCulture, out double fraction))
            return new ProgressiveResolution(size, fraction);
        throw new FormatException($"--progressive '{text}' is not size,fraction: write e.g. 14,0.5 (14 px for the first half of the steps).");
    }

    /// <summary>
    /// The first step at full size in a schedule of <paramref name="totalSteps"/>: ⌈F·total⌉,
    /// in decimal so that 0.3 × 10 is 3, not the 3.0000000000000004 of doubles.
    /// </summary>
    public long SwitchStep(long totalSteps) => (long)Math.Ceiling((decimal)Fraction * totalSteps);

    /// <summary>What is wrong with these values for views of <paramref name="imageSize"/> px, or null.</summary>
    public string? Problem(int imageSize) =>
        Size >= 1 && Size <= imageSize && double.IsFinite(Fraction) && Fraction > 0 && Fraction < 1 ? null
            : $"progressive must be size,fraction with 1 ≤ size ≤ image-size ({imageSize}) and 0 < fraction < 1, not {this}.";

    /// <inheritdoc />
    public override string ToString() => FormattableString.Invariant($"{Size},{Fraction}");
}
