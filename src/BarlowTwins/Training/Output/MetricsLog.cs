using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BarlowTwins.Training.Options;
using BarlowTwins.Training.Precision;

namespace BarlowTwins.Training.Output;

/// <summary>
/// OUT/metrics.jsonl: one JSON object per logged step (<c>"kind":"step"</c>) and per epoch
/// (<c>"kind":"epoch"</c>, with resident memory), and at every start the data and its unreadable files
/// left out (<c>"kind":"data"</c>, <c>skipped_files</c>) and the precision the run trains
/// in and how it was chosen (<c>"kind":"precision"</c>, with the probe's timings when measured). Lines are flushed as written; on resume, lines
/// from steps after the checkpoint are dropped, since those steps run again.
/// <para>
/// JSON has no NaN or infinity: a value that is NaN or ±Inf (a diverged step) is written as the
/// string <c>"NaN"</c>, <c>"Infinity"</c> or <c>"-Infinity"</c>, as the eval records write them.
/// </para>
/// </summary>
public sealed class MetricsLog : ITrainingObserver
{
    private readonly string _path;
    private StreamWriter? _writer;
    private long _startStep;

    /// <summary>A log in <paramref name="runDirectory"/>.</summary>
    public MetricsLog(string runDirectory) => _path = new RunFolder(runDirectory).Metrics;

    /// <inheritdoc />
    public void OnStart(PretrainOptions options, TrainingProgress progress, bool resumed)
    {
        var kept = File.Exists(_path) && resumed
            ? File.ReadLines(_path).Where(line => StepOf(line) <= progress.GlobalStep).ToList()
            : [];
        File.WriteAllLines(_path, kept);
        _writer = new StreamWriter(_path, append: true) { AutoFlush = true };
        _startStep = progress.GlobalStep;
    }

    /// <inheritdoc />
    /// <remarks>At every start, <c>"kind":"data"</c>: the data line and the count of files left out as unreadable.</remarks>
    public void OnData(IPretrainingData data) => Write(new JsonObject
    {
        ["kind"] = "data",
        ["step"] = _startStep,
        ["data"] = data.Description,
        ["skipped_files"] = data.SkippedFiles,
    });

    /// <inheritdoc />
    public void OnPrecision(PrecisionChoice choice) => Write(new JsonObject
    {
        ["kind"] = "precision",
        ["step"] = _startStep,
        ["precision"] = choice.Precision,
        ["how"] = choice.How,
        ["fp32_step_s"] = choice.Measured ? choice.Float32Seconds : null,
        ["bf16_step_s"] = choice.Measured ? choice.BFloat16Seconds : null,
        ["probe_images"] = choice.Measured ? choice.Images : null,
        ["probe_s"] = choice.Measured ? choice.ProbeSeconds : null,
    });

    /// <inheritdoc />
    public void OnStep(StepReport report)
    {
        if (!report.IsLogged) return;
        var step = report.Step;
        var line = new JsonObject
        {
            ["kind"] = "step",
            ["step"] = report.Progress.GlobalStep,
            ["epoch"] = report.Progress.Epoch,
            ["loss"] = step.Loss,
            ["invariance"] = step.Invariance,
            ["redundancy"] = step.Redundancy,
            ["grad_norm"] = step.GradientNorm,
            ["lr_weights"] = report.WeightLr,
            ["lr_biases"] = report.BiasLr,
            ["images_per_s"] = report.ImagesPerSecond,
            ["skipped_steps"] = report.Progress.SkippedSteps,
        };
        if (step.Diagnostics is { } d)
        {
            line["diag_mean"] = d.DiagonalMean;
            line["offdiag_rms"] = d.OffDiagonalRms;
            line["effective_rank"] = d.EffectiveRank;
        }
        Write(line);
    }

    /// <inheritdoc />
    public void OnEpoch(EpochReport report) => Write(new JsonObject
    {
        ["kind"] = "epoch",
        ["epoch"] = report.Epoch,
        ["step"] = report.Progress.GlobalStep,
        ["loss"] = report.MeanLoss,
        ["invariance"] = report.MeanInvariance,
        ["redundancy"] = report.MeanRedundancy,
        ["images_per_s"] = report.ImagesPerSecond,
        ["seconds"] = report.Seconds,
        ["rss_mb"] = report.ResidentMegabytes,
        ["managed_mb"] = report.ManagedMegabytes,
        ["knn_top1"] = report.Monitor,
    });

    private void Write(JsonObject line) => _writer?.WriteLine(WithNamedNonFinite(line).ToJsonString());

    // The serializer refuses NaN and ±Inf as numbers: they become their names (double.ToString's
    // "NaN", "Infinity", "-Infinity"), which Number reads back.
    private static JsonObject WithNamedNonFinite(JsonObject line)
    {
        foreach (var (key, value) in line.ToList())
            if (value is JsonValue v && v.TryGetValue(out double d) && !double.IsFinite(d))
                line[key] = d.ToString(CultureInfo.InvariantCulture);
        return line;
    }

    private static double Number(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue(out string? text)
            ? double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double named) ? named : double.NaN
            : (double?)node ?? double.NaN;

    /// <summary>Step, loss, its two terms (redundancy before λ) and the weights' rate of every logged step in a metrics file, for plots.</summary>
    public static IReadOnlyList<(long Step, double Loss, double Invariance, double Redundancy, double Rate)> ReadLoss(string runDirectory)
    {
        string path = new RunFolder(runDirectory).Metrics;
        if (!File.Exists(path)) return [];
        return File.ReadLines(path).Select(line => ParseOrNull(line)).OfType<JsonObject>()
            .Where(o => (string?)o["kind"] == "step")
            .Select(o => ((long)o["step"]!, Number(o["loss"]), Number(o["invariance"]), Number(o["redundancy"]), Number(o["lr_weights"])))
            .ToList();
    }

    // A line cut short by a kill parses to null and is dropped.
    private static long StepOf(string line) => ParseOrNull(line)?["step"]?.GetValue<long>() ?? long.MaxValue;

    private static JsonNode? ParseOrNull(string line)
    {
        try { return JsonNode.Parse(line); }
        catch (JsonException) { return null; }
    }

    /// <inheritdoc />
    public void Dispose() => _writer?.Dispose();
}
