namespace BarlowTwins.Tests.Augment;

/// <summary>Bounds for tests of random draws: binomial rates and Kolmogorov–Smirnov distances.</summary>
public static class Statistics
{
    /// <summary>
    /// Asserts that <paramref name="hits"/> of <paramref name="trials"/> is within 4.5 standard
    /// deviations of <paramref name="p"/> (a false alarm once in ~150 000 runs; the seeds are fixed,
    /// so a passing test stays passing). p = 0 or 1 must be exact.
    /// </summary>
    public static void AssertRate(string what, int hits, int trials, double p)
    {
        double rate = (double)hits / trials;
        double bound = 4.5 * Math.Sqrt(p * (1 - p) / trials);
        Assert.True(Math.Abs(rate - p) <= bound, $"{what}: rate {rate:F4} over {trials} draws, expected {p} ± {bound:F4}");
    }

    /// <summary>
    /// Asserts that the sample's largest distance to the CDF <paramref name="cdf"/> is below the
    /// Kolmogorov–Smirnov critical value at α = 0.001 (1.95 / √n).
    /// </summary>
    public static double AssertDistribution(string what, IReadOnlyCollection<double> sample, Func<double, double> cdf)
    {
        var sorted = sample.OrderBy(x => x).ToArray();
        int n = sorted.Length;
        double d = 0;
        for (int i = 0; i < n; i++)
        {
            double f = cdf(sorted[i]);
            d = Math.Max(d, Math.Max((i + 1.0) / n - f, f - (double)i / n));
        }
        double critical = 1.95 / Math.Sqrt(n);
        Assert.True(d < critical, $"{what}: KS distance {d:F4} over {n} draws ≥ {critical:F4}");
        return d;
    }

    /// <summary>The CDF of the uniform distribution on [min, max].</summary>
    public static Func<double, double> Uniform(double min, double max) => x => Math.Clamp((x - min) / (max - min), 0, 1);
}
