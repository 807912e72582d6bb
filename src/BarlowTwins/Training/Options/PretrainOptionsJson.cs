using System.Text.Json;
using System.Text.Json.Nodes;
using BarlowTwins.Training.Precision;

namespace BarlowTwins.Training.Options;

/// <summary>
/// <see cref="PretrainOptions"/> as JSON whose keys are the command-line flag names
/// (<c>"batch-size": 256</c>), so a config file reads like the flags it replaces.
/// </summary>
public static class PretrainOptionsJson
{
    private static readonly JsonSerializerOptions Settings = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.KebabCaseLower,
        WriteIndented = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>The options as indented JSON.</summary>
    public static string Write(PretrainOptions options) => JsonSerializer.Serialize(options, Settings);

    /// <summary>Reads options written by <see cref="Write"/>; unknown keys are an error.</summary>
    public static PretrainOptions Read(string json) =>
        Overlay(new PretrainOptions(), json);

    /// <summary>Reads a file written by <see cref="Write"/> (e.g. OUT/config.json).</summary>
    public static PretrainOptions Load(string path) => Read(File.ReadAllText(path));

    /// <summary>
    /// <paramref name="baseOptions"/> with every key present in <paramref name="json"/> replaced:
    /// a config file only needs the keys it changes.
    /// </summary>
    public static PretrainOptions Overlay(PretrainOptions baseOptions, string json, string source = "config")
    {
        var merged = JsonSerializer.SerializeToNode(baseOptions, Settings)!.AsObject();
        JsonObject changes;
        try { changes = JsonNode.Parse(json)?.AsObject() ?? new JsonObject(); }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new FormatException($"{source}: not a JSON object of options ({e.Message}).", e);
        }
        UpgradeLegacyKeys(changes);
        foreach (var (key, value) in changes)
        {
            if (!merged.ContainsKey(key))
                throw new FormatException($"{source}: unknown option '{key}'. Known: {string.Join(", ", merged.Select(p => p.Key))}.");
            merged[key] = value?.DeepClone();
        }
        // Typed values (backbone, projector, λ) are parsed here, once: a bad one is the type's own sentence.
        try { return merged.Deserialize<PretrainOptions>(Settings)!; }
        catch (Exception e) when (e is JsonException or FormatException or ArgumentException) { throw new FormatException($"{source}: {e.Message}", e); }
    }

    // Runs written before "precision" existed say "bf16": true or false; they read (and resume) as
    // the precision they computed in.
    private static void UpgradeLegacyKeys(JsonObject changes)
    {
        if (!changes.TryGetPropertyValue(LegacyBf16Key, out var bf16)) return;
        changes.Remove(LegacyBf16Key);
        if (changes.ContainsKey(PrecisionKey)) return;
        bool on = bf16?.GetValueKind() == JsonValueKind.True;
        changes[PrecisionKey] = on ? Precisions.BFloat16 : Precisions.Float32;
    }

    private const string LegacyBf16Key = "bf16";
    private static readonly string PrecisionKey = JsonNamingPolicy.KebabCaseLower.ConvertName(nameof(PretrainOptions.Precision));
}
