namespace BarlowTwins.Augment;

/// <summary>A closed range of a random parameter; draws are uniform in it unless stated otherwise.</summary>
public readonly record struct Interval(double Min, double Max)
{
    /// <summary>Reads <c>min,max</c> (e.g. <c>0.05,0.4</c>), as on the command line.</summary>
    public static Interval Parse(string text)
    {
        if (NumberPair.TryParse(text, out double min, out double max)) return new Interval(min, max);
        throw new FormatException($"'{text}' is not an interval: write min,max, e.g. 0.05,0.4.");
    }

    /// <inheritdoc />
    public override string ToString() => FormattableString.Invariant($"{Min},{Max}");

    /// <summary>The rule every crop-area fraction (crop and local scale) obeys, as users read it.</summary>
    internal const string ScaleRule = "0 < min ≤ max ≤ 1";

    /// <summary>True when this is a crop-area fraction: <see cref="ScaleRule"/> (NaN is not).</summary>
    internal bool IsScale => Holds(v => v > 0 && v <= 1);

    /// <summary>The sentence refusing <paramref name="value"/> as option <paramref name="name"/>'s crop-area range; null when it is one (or the option is off).</summary>
    internal static string? ScaleProblem(string name, Interval? value) =>
        value is not { } scale || scale.IsScale ? null : $"{name} must be min,max with {ScaleRule}, not {value}.";

    /// <summary>Throws unless this is a crop-area fraction (<see cref="ScaleRule"/>).</summary>
    internal void EnsureScale(string name)
    {
        if (!IsScale) throw new ArgumentOutOfRangeException(name, this, $"{name} must be an interval with {ScaleRule}");
    }

    /// <summary>Throws unless Min ≤ Max and both satisfy <paramref name="valid"/>.</summary>
    internal void Ensure(string name, Func<double, bool> valid, string rule)
    {
        if (!Holds(valid))
            throw new ArgumentOutOfRangeException(name, this, $"{name} must be an interval with Min ≤ Max and {rule}");
    }

    private bool Holds(Func<double, bool> valid) => Min <= Max && valid(Min) && valid(Max);
}

/// <summary>
/// Every probability and range of one view. Order of operations: random resized crop, horizontal
/// flip, colour jitter (brightness, contrast, saturation, hue in a random order per image),
/// greyscale, Gaussian blur, solarize; then the batch is normalised.
/// </summary>
/// <param name="CropScale">Fraction of the image area the crop covers, uniform.</param>
/// <param name="CropRatio">Crop width / height, log-uniform.</param>
/// <param name="FlipProbability">Probability of a horizontal mirror.</param>
/// <param name="JitterProbability">Probability that colour jitter is applied at all.</param>
/// <param name="Brightness">Brightness factor drawn from [max(0, 1 − b), 1 + b].</param>
/// <param name="Contrast">Contrast factor drawn from [max(0, 1 − c), 1 + c].</param>
/// <param name="Saturation">Saturation factor drawn from [max(0, 1 − s), 1 + s].</param>
/// <param name="Hue">Hue shift drawn from [−h, h] turns (h ≤ 0.5).</param>
/// <param name="GrayscaleProbability">Probability of replacing the colours by their luma.</param>
/// <param name="BlurProbability">Probability of a Gaussian blur.</param>
/// <param name="BlurSigma">Blur standard deviation in pixels, uniform.</param>
/// <param name="SolarizeProbability">Probability of inverting pixels ≥ 0.5.</param>
public sealed record ViewRecipe(
    Interval CropScale,
    Interval CropRatio,
    double FlipProbability,
    double JitterProbability,
    double Brightness,
    double Contrast,
    double Saturation,
    double Hue,
    double GrayscaleProbability,
    double BlurProbability,
    Interval BlurSigma,
    double SolarizeProbability)
{
    /// <summary>Throws a clear error for any probability outside [0, 1] or any impossible range.</summary>
    public void Validate()
    {
        CropScale.EnsureScale(nameof(CropScale));
        CropRatio.Ensure(nameof(CropRatio), v => v > 0, "ratios > 0");
        BlurSigma.Ensure(nameof(BlurSigma), v => v > 0, "σ > 0");
        foreach (var (name, p) in new[]
                 {
                     (nameof(FlipProbability), FlipProbability), (nameof(JitterProbability), JitterProbability),
                     (nameof(GrayscaleProbability), GrayscaleProbability), (nameof(BlurProbability), BlurProbability),
                     (nameof(SolarizeProbability), SolarizeProbability),
                 })
            if (!(p >= 0 && p <= 1)) throw new ArgumentOutOfRangeException(name, p, $"{name} must lie in [0, 1]");
        foreach (var (name, v) in new[] { (nameof(Brightness), Brightness), (nameof(Contrast), Contrast), (nameof(Saturation), Saturation) })
            if (!(v >= 0)) throw new ArgumentOutOfRangeException(name, v, $"{name} must be ≥ 0");
        if (!(Hue >= 0 && Hue <= 0.5)) throw new ArgumentOutOfRangeException(nameof(Hue), Hue, "Hue must lie in [0, 0.5]");
    }

    /// <summary>
    /// This view with the colour-jitter ranges (brightness, contrast, saturation, hue) multiplied by
    /// <paramref name="strength"/>, the hue range capped at its largest, half a turn: SimCLR's
    /// colour-distortion strength (Chen et al. 2020, Table 1, the strength s of Appendix A). Only
    /// the ranges change, not how often jitter is applied. 1 returns an equal view (×1 is exact).
    /// </summary>
    public ViewRecipe WithJitterStrength(double strength) => this with
    {
        Brightness = Brightness * strength,
        Contrast = Contrast * strength,
        Saturation = Saturation * strength,
        Hue = Math.Min(MaxHue, Hue * strength),
    };

    // A hue shift of h turns and one of h − 1 are the same shift: half a turn is the widest range.
    private const double MaxHue = 0.5;
}
