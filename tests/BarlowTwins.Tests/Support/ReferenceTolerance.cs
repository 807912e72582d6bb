namespace BarlowTwins.Tests.Support;

/// <summary>
/// How far a float32 result may lie from a reference. Two float32 computations of the same sums in
/// different orders (another BLAS, another algorithm) each lie about as far from the float64 value
/// as the other; the reference generator records that float32-versus-float64 gap (the spread) for
/// each number it writes. A result may differ by <see cref="SpreadFactor"/> spreads, and never by
/// less than that many float32 roundings of the value's scale (a spread recorded as ≈ 0 by luck).
/// </summary>
public static class ReferenceTolerance
{
    /// <summary>Spreads allowed: summation order alone moves a float32 sum by a few of them.</summary>
    public const double SpreadFactor = 10;

    /// <summary>Half a float32 ulp, relative: the rounding of one float32 result.</summary>
    public const double Float32Rounding = 1.0 / (1 << 24);

    /// <summary>The largest difference allowed for a value of magnitude <paramref name="scale"/> whose recorded spread is <paramref name="spread"/>.</summary>
    public static double Of(double spread, double scale) => SpreadFactor * Math.Max(Math.Abs(spread), Float32Rounding * Math.Abs(scale));
}
