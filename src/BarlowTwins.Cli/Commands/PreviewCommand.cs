using System.CommandLine;
using BarlowTwins.Augment;
using BarlowTwins.Data;
using TorchSharp;

namespace BarlowTwins.Cli.Commands;

/// <summary><c>barlow preview</c>: a PNG grid of the two views training sees.</summary>
internal static class PreviewCommand
{
    public static Command Create()
    {
        var defaults = new PreviewOptions("", "views.png");
        var data = new Option<string>("--data") { Description = $"The images: {DataSpec.Help}.", Required = true };
        var output = new Option<string>("--out") { Description = "The PNG to write.", DefaultValueFactory = _ => defaults.Out };
        var augment = new AugmentOption($"Augmentation preset: {string.Join(", ", TwoViewRecipe.Presets.Keys)}, or {PreviewOptions.AutoAugment} (chosen from the data).",
                                        defaults.Augment);
        var count = new Option<int>("--count") { Description = "Rows (images) in the grid.", DefaultValueFactory = _ => defaults.Count };
        var seed = new Option<long>("--seed") { Description = "Seed of the image choice and the views.", DefaultValueFactory = _ => defaults.Seed };
        var split = new Option<DataSplit>("--split") { Description = "Train, Test or All.", DefaultValueFactory = _ => defaults.Split };
        var epoch = new Option<bool>("--epoch") { Description = "Then read a whole epoch of two-view batches through the loader and print its speed." };
        var batchSize = new Option<int>("--batch-size") { Description = "Batch size of --epoch.", DefaultValueFactory = _ => defaults.BatchSize };
        var workers = new Option<int>("--workers") { Description = "Loader worker threads of --epoch.", DefaultValueFactory = _ => defaults.Workers };
        var cropScale = new Option<string?>("--crop-scale") { Description = PretrainCommand.CropScaleHelp };
        var jitterStrength = new Option<double>("--jitter-strength") { Description = PretrainCommand.JitterStrengthHelp, DefaultValueFactory = _ => defaults.JitterStrength };
        var command = new Command("preview", "Write a grid of view pairs (original | view A | view B per row) as PNG.")
        {
            data, output, count, seed, split, epoch, batchSize, workers, cropScale, jitterStrength,
        };
        augment.AddTo(command);
        command.SetAction(parse => InputErrors.Guard(() => Run(new PreviewOptions(parse.GetValue(data)!, parse.GetValue(output)!, augment.Value(parse)!,
                                                          parse.GetValue(count), parse.GetValue(seed), parse.GetValue(split),
                                                          parse.GetValue(epoch), parse.GetValue(batchSize), parse.GetValue(workers),
                                                          parse.GetValue(cropScale) is { } scale ? Interval.Parse(scale) : null, parse.GetValue(jitterStrength)))));
        return command;
    }

    private static int Run(PreviewOptions options)
    {
        options.Validate();
        OutputPaths.File(options.Out, "--out", "views.png");
        torch.InitializeDeviceType(DeviceType.CPU);
        var report = new DataReport();
        var source = DataConsole.Open(options.Data, options.Split, report);
        var recipe = options.ViewRecipe();
        ViewPreview.Write(source, recipe, options.Out, options.Count, options.Seed);
        Console.WriteLine($"wrote       {options.Out} ({Math.Min(options.Count, source.Count)} rows: original | view A | view B; preset {options.PresetName}, " +
                          $"crop scale {recipe.A.CropScale}, jitter ×{options.JitterStrength.ToString(System.Globalization.CultureInfo.InvariantCulture)})");
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
