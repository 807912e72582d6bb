using System.Globalization;
using System.Text.Json.Serialization;

namespace BarlowTwins.Loss;

/// <summary>
/// λ, the weight of the redundancy-reduction term: a fixed number (the paper's 0.0051), or
/// <c>auto</c>, which resolves to 1/D for embedding width D (Tsai et al. 2021).
/// JSON writes it as its text ("0.0051", "auto").
/// </summary>
[JsonConverter(typeof(Json))]
public readonly record struct RedundancyWeight
{
    private readonly double? _value;

    private RedundancyWeight(double? value) => _value = value;

    /// <summary>The paper's λ = 0.0051.</summary>
    public static RedundancyWeight Paper { get; } = new(0.0051);

    /// <summary>λ = 1/D, resolved when the embedding width is known.</summary>
    public static RedundancyWeight Auto { get; } = new(null);

    /// <summary>A fixed λ.</summary>
    public static RedundancyWeight Of(double value) =>
        IsAllowed(value)
            ? new(value)
            : throw new ArgumentOutOfRangeException(nameof(value), value, "λ must be a finite number ≥ 0.");

    // The rule for a fixed λ, which Of and Parse refuse in their own words (Parse's is one line for the command line).
    private static bool IsAllowed(double value) => value >= 0 && double.IsFinite(value);

    /// <summary>True for <see cref="Auto"/>.</summary>
    public bool IsAuto => _value is null;

    /// <summary>The number to use for embeddings of width <paramref name="dimension"/>.</summary>
    public double Resolve(long dimension) => _value ?? 1.0 / dimension;

    /// <summary>Parses "auto" or a number such as "0.0051".</summary>
    public static RedundancyWeight Parse(string text) =>
        text.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase) ? Auto
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && IsAllowed(v) ? new(v)
        : throw new FormatException($"λ must be a finite number ≥ 0 or 'auto', not '{text}'.");

    /// <inheritdoc />
    public override string ToString() => _value?.ToString("R", CultureInfo.InvariantCulture) ?? "auto";

    private sealed class Json : TextJsonConverter<RedundancyWeight>
    {
        protected override RedundancyWeight Parse(string text) => RedundancyWeight.Parse(text);
    }
}
