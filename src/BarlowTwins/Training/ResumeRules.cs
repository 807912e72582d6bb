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
        requested = WithRecordedPrecision(saved, requested);
        var a = JsonNode.Parse(PretrainOptionsJson.Write(saved))!.AsObject();
        var b = JsonNode.Parse(PretrainOptionsJson.Write(requested))!.AsObject();
        return a.Where(p => !Changeable.Contains(p.Key) && !JsonNode.DeepEquals(p.Value, b[p.Key]))
                .Select(p => $"{p.Key} (checkpoint: {p.Value?.ToJsonString() ?? "null"}, now: {b[p.Key]?.ToJsonString() ?? "null"})")
                .ToList();
    }

    /// <summary>
    /// <paramref name="requested"/>, with <see cref="Precisions.Auto"/> replaced by the precision the
    /// run measured and recorded in <paramref name="saved"/>: re-measuring could choose the other one
    /// and end the bit-exact continuation.
    /// </summary>
    public static PretrainOptions WithRecordedPrecision(PretrainOptions saved, PretrainOptions requested) =>
        requested.Precision == Precisions.Auto ? requested with { Precision = saved.Precision } : requested;

    /// <summary>
    /// The options to resume with: the saved ones, with the changeable keys taken from
    /// <paramref name="requested"/>.
    /// </summary>
    public static PretrainOptions Merge(PretrainOptions saved, PretrainOptions requested) => saved with
    {
        MaxSteps = requested.MaxSteps,
        Device = requested.Device,
        ChannelsLast = requested.ChannelsLast,
        Workers = requested.Workers,
        CheckpointMinutes = requested.CheckpointMinutes,
        KeepCheckpoints = requested.KeepCheckpoints,
        KnnEvery = requested.KnnEvery,
        LogEvery = requested.LogEvery,
        Out = requested.Out,
    };
}
