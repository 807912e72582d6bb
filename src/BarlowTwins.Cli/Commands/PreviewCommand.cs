using System.CommandLine;
using BarlowTwins.Augment;
using BarlowTwins.Data;
using TorchSharp;

namespace BarlowTwins.Cli.Commands;

/// <summary><c>barlow preview</c>: a PNG grid of the two views training sees.</summary>
internal static class PreviewCommand
{
    /// <summary>Everything one preview needs.</summary>
    private sealed record PreviewOptions(string Data, string Out, string Preset, int Count, long Seed, DataSplit Split,
                                         bool Epoch, int BatchSize, int Workers)
    {
        /// <summary>Throws on the first option that cannot work, named by its flag, before anything is read or written.</summary>
        public PreviewOptions Validated()
        {
            if (Count < 1) throw new ArgumentException($"--count must be at least 1 (rows of the grid), not {Count}.");
            if (BatchSize < 1) throw new ArgumentException($"--batch-size must be at least 1, not {BatchSize}.");
            if (Workers < 0) throw new ArgumentException($"--workers must be ≥ 0, not {Workers}.");
            if (Preset != "auto") TwoViewRecipe.Preset(Preset);
            DataSpec.Parse(Data);
            OutputPaths.File(Out, "--out", "views.png");
            return this;
        }
    }

    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = $"The images: {DataSpec.Help}.", Required = true };
        var output = new Option<string>("--out") { Description = "The PNG to write.", DefaultValueFactory = _ => "views.png" };
        var augment = new AugmentOption($"Augmentation preset: {string.Join(", ", TwoViewRecipe.Presets.Keys)}, or auto (chosen from the data).", "auto");
        var count = new Option<int>("--count") { Description = "Rows (images) in the grid.", DefaultValueFactory = _ => 8 };
        var seed = new Option<long>("--seed") { Description = "Seed of the image choice and the views.", DefaultValueFactory = _ => 0 };
        var split = new Option<DataSplit>("--split") { Description = "Train, Test or All.", DefaultValueFactory = _ => DataSplit.Train };
        var epoch = new Option<bool>("--epoch") { Description = "Then read a whole epoch of two-view batches through the loader and print its speed." };
        var batchSize = new Option<int>("--batch-size") { Description = "Batch size of --epoch.", DefaultValueFactory = _ => 256 };
        var workers = new Option<int>("--workers") { Description = "Loader worker threads of --epoch.", DefaultValueFactory = _ => 2 };
        var command = new Command("preview", "Write a grid of view pairs (original | view A | view B per row) as PNG.")
        {
            data, output, count, seed, split, epoch, batchSize, workers,
        };
        augment.AddTo(command);
        command.SetAction(parse => InputErrors.Guard(() => Run(new PreviewOptions(parse.GetValue(data)!, parse.GetValue(output)!, augment.Value(parse)!,
                                                          parse.GetValue(count), parse.GetValue(seed), parse.GetValue(split),
                                                          parse.GetValue(epoch), parse.GetValue(batchSize), parse.GetValue(workers)))));
        return command;
    }

    private static int Run(PreviewOptions options)
    {
        options = options.Validated();
        torch.InitializeDeviceType(DeviceType.CPU);
        var report = new DataReport();
        var source = DataConsole.Open(options.Data, options.Split, report);
        string presetName = options.Preset == "auto" ? DataSpec.Parse(options.Data).DefaultPreset : options.Preset;
        var recipe = TwoViewRecipe.Preset(presetName);
        ViewPreview.Write(source, recipe, options.Out, options.Count, options.Seed);
        Console.WriteLine($"wrote       {options.Out} ({Math.Min(options.Count, source.Count)} rows: original | view A | view B; preset {presetName})");
        if (options.Epoch)
        {
            var loading = new LoaderOptions(Math.Min(options.BatchSize, source.Count), options.Seed, DropLast: false, Workers: options.Workers);
            var reading = ViewPreview.ReadEpoch(source, recipe, loading, batch => Console.Error.Write($"\rbatch {batch}"));
            Console.Error.Write("\r");
            Console.WriteLine($"epoch       {reading.Batches} batches, {reading.Images} images in {reading.Elapsed.TotalSeconds:F1} s " +
                              $"({reading.ImagesPerSecond:F0} images/s, {options.Workers} workers, {recipe.Size} px)");
        }
        DataConsole.PrintReport(report, Path.ChangeExtension(options.Out, ".skipped.txt"));
        return 0;
    }
}
