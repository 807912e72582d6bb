using static TorchSharp.torch;

namespace BarlowTwins.Training.Precision;

/// <summary>
/// The precisions a network can run in (<c>PretrainOptions.Precision</c>, evaluation's
/// <c>--precision</c>): float32, bfloat16 (float32 master weights and loss in training), or
/// <c>auto</c>, the faster of the two on this machine, measured on the run's own shapes.
/// </summary>
public static class Precisions
{
    /// <summary>Measure both and take the faster (<see cref="PrecisionProbe"/>).</summary>
    public const string Auto = "auto";

    /// <summary>float32 throughout.</summary>
    public const string Float32 = "fp32";

    /// <summary>bfloat16 network; in training float32 master weights and a float32 loss (<see cref="BFloat16Shadow"/>).</summary>
    public const string BFloat16 = "bf16";

    /// <summary>Every name <c>PretrainOptions.Precision</c> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = [Auto, Float32, BFloat16];

    /// <summary>The tensor type of a measured or asked-for precision (not <see cref="Auto"/>).</summary>
    public static ScalarType DType(string precision) => precision switch
    {
        Float32 => ScalarType.Float32,
        BFloat16 => ScalarType.BFloat16,
        _ => throw new ArgumentException($"Precision '{precision}' names no tensor type: use {Float32} or {BFloat16}."),
    };
}
