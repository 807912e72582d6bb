namespace BarlowTwins.Augment;

/// <summary>The interpolation kernel of a resize.</summary>
public enum ResampleFilter
{
    /// <summary>Keys cubic with a = −0.5 (PIL's and torchvision's antialiased BICUBIC).</summary>
    Bicubic,

    /// <summary>Triangle (PIL's and torchvision's antialiased BILINEAR).</summary>
    Bilinear,
}

internal static class ResampleFilterExtensions
{
    /// <summary>Half-width of the kernel at scale 1, in input pixels.</summary>
    public static double Support(this ResampleFilter filter) => filter == ResampleFilter.Bicubic ? 2.0 : 1.0;

    /// <summary>The kernel's value at distance <paramref name="x"/>.</summary>
    public static double Weight(this ResampleFilter filter, double x)
    {
        x = Math.Abs(x);
        if (filter == ResampleFilter.Bilinear) return x < 1 ? 1 - x : 0;
        const double a = -0.5;
        if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
        if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
        return 0;
    }
}
