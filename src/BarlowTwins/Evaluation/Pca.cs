using static TorchSharp.torch;

namespace BarlowTwins.Evaluation;

/// <summary>Rows projected on their first principal axes, and the share of the variance each axis holds.</summary>
/// <param name="Points">N × K coordinates.</param>
/// <param name="ExplainedVariance">Per axis, its share of the total variance (0–1).</param>
public sealed record PcaProjection(double[,] Points, double[] ExplainedVariance);

/// <summary>Principal component analysis of a feature matrix, by the SVD of the centred rows (float64).</summary>
public static class Pca
{
    /// <summary>
    /// The rows of <paramref name="features"/> (N × D) projected on their first <paramref name="axes"/>
    /// principal axes. Each axis's sign is fixed so that its largest loading is positive: the same
    /// data gives the same picture, not a mirrored one.
    /// </summary>
    public static PcaProjection Project(Tensor features, int axes = 2)
    {
        long count = features.shape[0], dimension = features.shape[1];
        if (count < 2) throw new ArgumentException($"PCA needs at least 2 rows, not {count}.");
        int k = (int)Math.Min(axes, Math.Min(count, dimension));
        using var scope = NewDisposeScope();
        var x = features.to_type(ScalarType.Float64).cpu();
        x = x - x.mean([0], keepdim: true);
        var (_, singular, vh) = linalg.svd(x, fullMatrices: false);
        var directions = vh.narrow(0, 0, k);                                   // k × D
        var largest = directions.abs().argmax(1, keepdim: true);
        directions = directions * directions.gather(1, largest).ge(0).to_type(ScalarType.Float64).mul(2).sub(1); // ±1 per axis
        var projected = x.mm(directions.t()).contiguous();                      // N × k
        var values = projected.data<double>().ToArray();
        var points = new double[count, k];
        for (long n = 0; n < count; n++)
            for (int a = 0; a < k; a++) points[n, a] = values[n * k + a];
        var variance = singular.square();
        var shares = (variance / variance.sum()).narrow(0, 0, k).data<double>().ToArray();
        return new PcaProjection(points, shares);
    }
}
