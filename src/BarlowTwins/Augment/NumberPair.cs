using System.Globalization;

namespace BarlowTwins.Augment;

/// <summary>Two numbers written <c>x,y</c> in the invariant culture, as the command line's ranges and pairs are.</summary>
internal static class NumberPair
{
    /// <summary>True, with the two numbers, when <paramref name="text"/> is exactly two comma-separated numbers.</summary>
    public static bool TryParse(string text, out double first, out double second)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        first = second = 0;
        return parts.Length == 2 && double.TryParse(parts[0], CultureInfo.InvariantCulture, out first)
                                 && double.TryParse(parts[1], CultureInfo.InvariantCulture, out second);
    }
}
