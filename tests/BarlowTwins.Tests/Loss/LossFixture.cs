using System.Text.Json;
using System.Text.RegularExpressions;
using BarlowTwins.Loss;
using static TorchSharp.torch;

namespace BarlowTwins.Tests.Loss;

/// <summary>
/// One bt_loss case of the manifest: its inputs, λ, the float64 loss and terms with their float32
/// spreads, and every output tensor it records (grad_z1, grad_z2, c or slices of it, bn_z1, bn_z2)
/// with the spread that applies to it.
/// </summary>
public sealed partial class LossFixture(string name)
{
    private readonly JsonElement _entry = SharedFixtures.Manifest.GetProperty("bt_loss").GetProperty(name);

    /// <summary>The case's name.</summary>
    public string Name => name;

    /// <summary>zA, zB (N × D, float32).</summary>
    public (Tensor A, Tensor B) Inputs()
    {
        var inputs = _entry.GetProperty("inputs");
        return (SharedFixtures.Load(inputs.GetProperty("z1")), SharedFixtures.Load(inputs.GetProperty("z2")));
    }

    /// <summary>λ.</summary>
    public double Lambda => _entry.GetProperty("lambd").GetDouble();

    /// <summary>The float64 value of loss, on_diag or off_diag, and its recorded float32 spread.</summary>
    public (double Value, double Spread) Scalar(string term)
    {
        var expected = _entry.GetProperty("expected");
        double f64 = expected.GetProperty(term + "_f64").GetDouble();
        return (f64, expected.GetProperty(term + "_f32").GetDouble() - f64);
    }

    /// <summary>
    /// Every output tensor of the case: its name, its reference (PyTorch float32) and its float32
    /// spread: recorded for the gradients and C, derived for the standardised embeddings.
    /// </summary>
    public IEnumerable<(string Name, Tensor Reference, double Spread)> Outputs()
    {
        var expected = _entry.GetProperty("expected");
        var (zA, zB) = Inputs();
        foreach (var output in _entry.GetProperty("outputs").EnumerateObject())
        {
            // c_diag and c_block_R_S are slices of C: C's spread bounds theirs.
            string spreadKey = $"maxabs_{(output.Name.StartsWith("c_", StringComparison.Ordinal) ? "c" : output.Name)}_f32_minus_f64";
            double spread = expected.TryGetProperty(spreadKey, out var s) ? s.GetDouble()
                : output.Name switch { "bn_z1" => StandardizedSpread(zA), "bn_z2" => StandardizedSpread(zB), _ => 0 };
            yield return (output.Name, SharedFixtures.Load(output.Value), spread);
        }
    }

    /// <summary>
    /// The float32 spread of standardised embeddings, which the fixtures do not record: a column's
    /// mean carries the rounding of its values, and the standardisation divides it by the column's
    /// σ (√ε for a constant column, where a rounding of 2.5 becomes 5e-5).
    /// </summary>
    public static double StandardizedSpread(Tensor z)
    {
        using var scope = NewDisposeScope();
        var z64 = z.to_type(ScalarType.Float64);
        var sigma = ((z64 - z64.mean([0])).pow(2).mean([0]) + BarlowTwinsLoss.Epsilon).sqrt();
        return (z64.abs().amax([0]) / sigma).max().item<double>() * ReferenceTolerance.Float32Rounding;
    }

    /// <summary>
    /// Our tensor for an output name, from our C, gradients and standardised embeddings; an output
    /// this test does not know fails and names itself.
    /// </summary>
    public static Tensor Ours(string output, Tensor c, Tensor gradA, Tensor gradB, Tensor zA, Tensor zB)
    {
        if (CBlock().Match(output) is { Success: true } block)
        {
            int from = int.Parse(block.Groups[1].Value), to = int.Parse(block.Groups[2].Value);
            return c[from..to, from..to];
        }
        return output switch
        {
            "c" => c,
            "c_diag" => c.diagonal(),
            "grad_z1" => gradA,
            "grad_z2" => gradB,
            "bn_z1" => BarlowTwinsLoss.Standardize(zA),
            "bn_z2" => BarlowTwinsLoss.Standardize(zB),
            _ => throw new Xunit.Sdk.XunitException($"The fixtures hold an output '{output}' no test knows: add it here."),
        };
    }

    [GeneratedRegex(@"^c_block_(\d+)_(\d+)$")]
    private static partial Regex CBlock();
}
