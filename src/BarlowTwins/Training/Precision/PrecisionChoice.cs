namespace BarlowTwins.Training.Precision;

/// <summary>The precision a run uses and how it came to it.</summary>
/// <param name="Precision"><see cref="Precisions.Float32"/> or <see cref="Precisions.BFloat16"/>.</param>
/// <param name="How">"measured", "asked for" or "recorded by the run".</param>
/// <param name="Float32Seconds">Best timed fp32 step of the measurement (NaN when nothing was measured).</param>
/// <param name="BFloat16Seconds">Best timed bf16 step of the measurement (NaN when nothing was measured).</param>
/// <param name="Images">Images per timed step.</param>
/// <param name="ProbeSeconds">Wall-clock seconds the whole measurement took, warm-up included.</param>
public sealed record PrecisionChoice(string Precision, string How, double Float32Seconds = double.NaN, double BFloat16Seconds = double.NaN,
                                     int Images = 0, double ProbeSeconds = 0)
{
    /// <summary>How a precision given by name was chosen.</summary>
    public const string AskedFor = "asked for";

    /// <summary>How the precision of a resumed run was chosen.</summary>
    public const string Recorded = "recorded by the run";

    /// <summary>How <see cref="Precisions.Auto"/> chose.</summary>
    public const string MeasuredHow = "measured";

    /// <summary>True when both precisions were timed.</summary>
    public bool Measured => !double.IsNaN(Float32Seconds);

    /// <summary>fp32 seconds over bf16 seconds: above 1 when bf16 is faster.</summary>
    public double BFloat16Speedup => Float32Seconds / BFloat16Seconds;

    /// <summary>One line for the user.</summary>
    public override string ToString() => Measured
        ? $"precision auto → {Precision}: {Images} images in {Float32Seconds:0.###} s (fp32) and {BFloat16Seconds:0.###} s (bf16), " +
          $"bf16 {BFloat16Speedup:0.00}× as fast (best of {PrecisionProbe.TimedRounds} after a warm-up each; {ProbeSeconds:0.#} s)"
        : $"precision {Precision} ({How})";
}
