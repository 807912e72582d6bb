namespace BarlowTwins.Models;

/// <summary>
/// Widths of the projector's linear layers, written as in the authors' code: "8192-8192-8192"
/// is Linear(in→8192) → BN → ReLU → Linear(8192→8192) → BN → ReLU → Linear(8192→8192).
/// </summary>
public sealed record ProjectorSpec(IReadOnlyList<int> Widths)
{
    /// <summary>The paper's 8192-8192-8192.</summary>
    public static ProjectorSpec Paper { get; } = Parse("8192-8192-8192");

    /// <summary>Width of the embeddings (the last layer).</summary>
    public int OutputDim => Widths[^1];

    /// <summary>Parses "8192-8192-8192".</summary>
    public static ProjectorSpec Parse(string text)
    {
        var parts = text.Split('-', StringSplitOptions.TrimEntries);
        var widths = new List<int>();
        foreach (var part in parts)
        {
            if (!int.TryParse(part, out var w) || w < 1)
                throw new FormatException($"Projector spec '{text}': '{part}' is not a positive width (example: 8192-8192-8192).");
            widths.Add(w);
        }
        return new ProjectorSpec(widths);
    }

    /// <inheritdoc />
    public override string ToString() => string.Join('-', Widths);
}
