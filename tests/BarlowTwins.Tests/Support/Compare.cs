using static TorchSharp.torch;

namespace BarlowTwins.Tests.Support;

/// <summary>Error measures between a result and a reference, in float64.</summary>
public static class Compare
{
    /// <summary>max |actual − expected| / max |expected| (the scale-free error of a whole tensor).</summary>
    public static double RelativeMax(Tensor actual, Tensor expected)
    {
        using var scope = NewDisposeScope();
        var a = actual.detach().cpu().to_type(ScalarType.Float64);
        var e = expected.detach().cpu().to_type(ScalarType.Float64);
        Assert.Equal(e.shape, a.shape);
        double scale = e.abs().max().item<double>();
        double diff = (a - e).abs().max().item<double>();
        return scale == 0 ? diff : diff / scale;
    }

    /// <summary>max |actual − expected|.</summary>
    public static double AbsoluteMax(Tensor actual, Tensor expected)
    {
        using var scope = NewDisposeScope();
        var a = actual.detach().cpu().to_type(ScalarType.Float64);
        var e = expected.detach().cpu().to_type(ScalarType.Float64);
        Assert.Equal(e.shape, a.shape);
        return (a - e).abs().max().item<double>();
    }

    /// <summary>|actual − expected| / |expected|.</summary>
    public static double Relative(double actual, double expected) =>
        expected == 0 ? Math.Abs(actual) : Math.Abs(actual - expected) / Math.Abs(expected);
}
