using System.Text.Json.Nodes;

namespace BarlowTwins.Training;

/// <summary>
/// Which options may change when a run resumes: only those that do not change what is computed
/// (where to stop, where to run, how often to save or log). Anything else would silently turn
/// the resumed run into a different experiment, so it is refused.
/// </summary>
public static class ResumeRules
{
    /// <summary>Option keys (flag names) a resumed run may change.</summary>
    public static IReadOnlySet<string> Changeable { get; } = new HashSet<string>
    {
        "max-steps", "device", "channels-last", "workers", "checkpoint-minutes", "keep-checkpoints", "knn-every", "log-every", "out",
    };

    /// <summary>Keys whose values differ between <paramref name="saved"/> and <paramref name="requested"/> and may not.</summary>
    public static IReadOnlyList<string> Conflicts(PretrainOptions saved, PretrainOptions requested)
    {
        var a = JsonNode.Parse(PretrainOptionsJson.Write(saved))!.AsObject();
        var b = JsonNode.Parse(PretrainOptionsJson.Write(requested))!.AsObject();
        return a.Where(p => !Changeable.Contains(p.Key) && !JsonNode.DeepEquals(p.Value, b[p.Key]))
                .Select(p => $"{p.Key} (checkpoint: {p.Value?.ToJsonString() ?? "null"}, now: {b[p.Key]?.ToJsonString() ?? "null"})")
                .ToList();
    }
}
