using System.Globalization;
using System.Text;
using BarlowTwins.Augment;
using BarlowTwins.Data;
using BarlowTwins.Interop;
using BarlowTwins.Training.Precision;
using TorchSharp;
using static TorchSharp.torch;

namespace BarlowTwins.Evaluation;

/// <summary>What <c>barlow embed</c> does.</summary>
/// <param name="Checkpoint">A backbone or pre-training run folder (see <see cref="BackboneSource"/>).</param>
/// <param name="Data">A <see cref="DataSpec"/>, e.g. fashion-mnist or folder:/photos.</param>
/// <param name="Out">Output path; its stem names STEM.npy (N × D float32 features), STEM.labels.npy (N int64), STEM.csv
/// (index, path, label, class, features) and, for sources made of files, STEM.paths.txt (one path per row).</param>
/// <param name="Split">Which images of the data.</param>
/// <param name="Augment">Augmentation preset for size and normalisation; default: the run's, else chosen from the data kind.</param>
/// <param name="BatchSize">Images per forward pass.</param>
/// <param name="Device">cpu or cuda.</param>
/// <param name="Plot">Also draw STEM.png: the embeddings' first two principal components, coloured by class.</param>
/// <param name="Precision">auto, fp32 or bf16 (<see cref="FeatureNetwork.Open"/>); the choice is written to the log.</param>
public sealed record EmbedOptions(string Checkpoint, string Data, string Out, DataSplit Split = DataSplit.Train,
                                  string? Augment = null, int BatchSize = FeatureExtractor.BatchSize, string Device = "cpu",
                                  bool Plot = false, string Precision = Precisions.Auto)
{
    /// <summary>Throws an <see cref="ArgumentException"/> naming every option that cannot work, before anything is read or written.</summary>
    public void Validate() => new OptionChecks()
        .Require(!string.IsNullOrWhiteSpace(Out), "out must name the files' stem, not be empty.")
        .AtLeast("batch-size", BatchSize, 1).Device(Device).OneOf("precision", Precision, Precisions.Names)
        .ThrowIfAny("embed");
}

/// <summary>Backbone features of a dataset, written for use outside this library (NumPy, pandas, scikit-learn).</summary>
public static class Embeddings
{
    /// <summary>Runs <c>barlow embed</c>; returns the files written.</summary>
    public static IReadOnlyList<string> Run(EmbedOptions options, TextWriter log, IProgress<EvalProgress>? progress = null)
    {
        var spec = DataSpec.Parse(options.Data);
        var files = EmbeddingFiles.Of(options.Out);
        var report = new DataReport();
        var source = spec.Open(options.Split, report);
        var loaded = BackboneSource.Load(options.Checkpoint);
        using var backbone = loaded.Backbone;
        var preset = options.Augment ?? loaded.Augment ?? spec.DefaultPreset;
        var recipe = TwoViewRecipe.Preset(preset);
        if (options.Augment is null && loaded.ImageSize is int size) recipe = recipe with { Size = size }; // the run's own input size
        if (recipe.Channels != source.Channels)
            throw new ArgumentException($"Preset '{preset}' normalises {recipe.Channels}-channel images but {options.Data} has {source.Channels}; choose a matching --augment.");
        var device = ComputeDevice.Get(options.Device);
        backbone.to(device);
        log.WriteLine($"Embedding {source.Description} with {backbone.Options.Architecture.Name}, preset {preset}, channel adaptation: {ChannelAdapter.Describe(backbone.Options.InputChannels, source.Channels)}");
        var transform = EvalTransform.For(recipe, device);
        var adapted = ChannelAdapter.ForData(backbone, source.Channels);
        using var network = FeatureNetwork.Open(adapted, options.Precision, source, transform, options.BatchSize, device);
        log.WriteLine(network.Choice);
        using var set = FeatureExtractor.Extract(network, source, transform, device, options.BatchSize, progress, "embed");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(files.Features))!);
        Npy.Save(set.Features, files.Features);
        Npy.Save(set.Labels.to_type(ScalarType.Int64), files.Labels);
        var paths = Enumerable.Range(0, source.Count).Select(source.PathOf).ToArray();
        WriteCsv(set, paths, files.Csv);
        var written = new List<string> { files.Features, files.Labels, files.Csv };
        if (paths.All(p => p is not null))
        {
            File.WriteAllLines(files.Paths, paths!, new UTF8Encoding(false));
            written.Add(files.Paths);
        }
        if (options.Plot)
        {
            var projection = Pca.Project(set.Features);
            EmbeddingMap.Draw(projection, set.Labels.cpu().to_type(ScalarType.Int64).data<long>().ToArray(), set.Classes,
                              $"{set.Count} embeddings, first two principal components", files.Map);
            written.Add(files.Map);
            log.WriteLine($"Drew the embeddings' first two principal components ({projection.ExplainedVariance.Sum():P0} of the variance) in {files.Map}");
        }
        log.WriteLine($"Wrote {set.Count} × {set.Dimension} features to {files.Features}, labels to {files.Labels}, " +
                      $"rows with {(written.Count > 3 ? "paths, " : "")}labels and features to {files.Csv}" +
                      (written.Count > 3 ? $", paths to {files.Paths}" : ""));
        // Last: the files that failed to decode during the extraction are in the summary and the list too.
        if (report.Publish(files.Skipped) is { Length: > 0 } summary) log.WriteLine(summary);
        if (report.IsLong) written.Add(files.Skipped);
        return written;
    }

    // index, source path (empty when the source has no files), label, class name, then the features:
    // one row per image, invariant culture, round-trip precision.
    private static void WriteCsv(FeatureSet set, IReadOnlyList<string?> paths, string path)
    {
        using var cpu = set.Features.cpu().contiguous();
        var values = cpu.data<float>().ToArray();
        var labels = set.Labels.cpu().to_type(ScalarType.Int64).data<long>().ToArray();
        int dimension = (int)set.Dimension;
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
        writer.WriteLine(string.Join(',', EmbeddingFiles.CsvColumns) + "," + string.Join(',', Enumerable.Range(0, dimension).Select(i => $"f{i}")));
        var row = new StringBuilder();
        for (int n = 0; n < labels.Length; n++)
        {
            row.Clear().Append(n).Append(',').Append(CsvText(paths[n] ?? "")).Append(',')
               .Append(labels[n]).Append(',').Append(CsvText(ClassName(set.Classes, labels[n])));
            for (int d = 0; d < dimension; d++) row.Append(',').Append(values[n * dimension + d].ToString("R", CultureInfo.InvariantCulture));
            writer.WriteLine(row);
        }
    }

    private static string ClassName(IReadOnlyList<string> classes, long label) => label >= 0 && label < classes.Count ? classes[(int)label] : "";

    private static string CsvText(string text) => text.IndexOfAny([',', '"', '\n', '\r']) < 0 ? text : "\"" + text.Replace("\"", "\"\"") + "\"";
}
