using System.Text.Json;
using System.Text.Json.Serialization;

namespace BarlowTwins.Evaluation;

/// <summary>
/// Writes an evaluation's record: NAME.json (every number, the options, the checkpoint, the data)
/// and NAME-confusion.png next to it.
/// </summary>
public static class EvalReport
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        // Class names and notes stay readable (→, +, accents) instead of \u escapes.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.KebabCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower), new ConfusionMatrixConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>
    /// Writes <paramref name="record"/> as <paramref name="directory"/>/<paramref name="name"/>.json and each
    /// of <paramref name="confusions"/> as a PNG beside it; returns the JSON path.
    /// </summary>
    public static string Write(string directory, string name, object record,
                               IEnumerable<(string Suffix, string Title, ConfusionMatrix Matrix)> confusions)
    {
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, name + ".json");
        File.WriteAllText(path, JsonSerializer.Serialize(record, record.GetType(), Json));
        foreach (var (suffix, title, matrix) in confusions)
            ConfusionMatrixImage.Save(matrix, Path.Combine(directory, $"{name}{suffix}-confusion.png"), title);
        return path;
    }

    /// <summary>The same record as JSON text, for tests and printing.</summary>
    public static string Serialize(object record) => JsonSerializer.Serialize(record, record.GetType(), Json);

    private sealed class ConfusionMatrixConverter : JsonConverter<ConfusionMatrix>
    {
        public override ConfusionMatrix Read(ref Utf8JsonReader reader, Type type, JsonSerializerOptions options) =>
            throw new NotSupportedException("Confusion matrices are written, never read back.");

        public override void Write(Utf8JsonWriter writer, ConfusionMatrix value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            writer.WritePropertyName("classes");
            JsonSerializer.Serialize(writer, value.Classes, options);
            writer.WritePropertyName("rows-are-labels");
            JsonSerializer.Serialize(writer, value.ToRows(), options);
            writer.WriteEndObject();
        }
    }
}
