using System.Text.Json.Serialization;

namespace BarlowTwins.Models;

/// <summary>
/// Widths of the projector's linear layers, written as in the authors' code: "8192-8192-8192"
/// is Linear(in→8192) → BN → ReLU → Linear(8192→8192) → BN → ReLU → Linear(8192→8192).
/// Equal when the widths are; JSON writes it as its text.
/// </summary>
[JsonConverter(typeof(Json))]
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

    /// <summary>True when <paramref name="other"/> has the same widths.</summary>
    public bool Equals(ProjectorSpec? other) => other is not null && Widths.SequenceEqual(other.Widths);

    /// <inheritdoc />
    public override int GetHashCode() => Widths.Aggregate(17, HashCode.Combine);

    /// <inheritdoc />
    public override string ToString() => string.Join('-', Widths);

    private sealed class Json : TextJsonConverter<ProjectorSpec>
    {
        protected override ProjectorSpec Parse(string text) => ProjectorSpec.Parse(text);
    }
}
