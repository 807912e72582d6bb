namespace BarlowTwins.Augment;

/// <summary>
/// How often one photometric op runs in each global view, written <c>a,b</c> as on the command line
/// (<c>--blur 1,0.1</c> is the paper's blur). Multi-crop's small views take view B's.
/// </summary>
/// <param name="A">Probability in view A, in [0, 1].</param>
/// <param name="B">Probability in view B, in [0, 1].</param>
public readonly record struct ViewProbabilities(double A, double B)
{
    /// <summary>Reads <c>a,b</c> (e.g. <c>0,0.2</c>).</summary>
    public static ViewProbabilities Parse(string text)
    {
        if (NumberPair.TryParse(text, out double a, out double b)) return new ViewProbabilities(a, b);
        throw new FormatException($"'{text}' is not a pair of probabilities: write a,b for views A and B, e.g. 0,0.2.");
    }

    /// <inheritdoc />
    public override string ToString() => FormattableString.Invariant($"{A},{B}");

    /// <summary>The sentence refusing <paramref name="value"/> as option <paramref name="name"/>; null when both lie in [0, 1] (or the option is off).</summary>
    internal static string? Problem(string name, ViewProbabilities? value) =>
        value is not { } p || (IsProbability(p.A) && IsProbability(p.B)) ? null
            : $"{name} must be a,b with both probabilities in [0, 1], not {value}.";

    private static bool IsProbability(double p) => p >= 0 && p <= 1;
}
