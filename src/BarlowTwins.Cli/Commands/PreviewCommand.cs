using System.CommandLine;
using BarlowTwins.Augment;
using BarlowTwins.Data;
using BarlowTwins.Training.Options;
using TorchSharp;

namespace BarlowTwins.Cli.Commands;

/// <summary><c>barlow preview</c>: a PNG grid of the two views training sees.</summary>
internal static class PreviewCommand
{
    private static readonly PreviewOptions Defaults = new("", "views.png");
    private static readonly Option<string> Data = new("--data") { Description = $"The images: {DataSpec.Help}.", Required = true };
    private static readonly Option<string> Output = new("--out") { Description = "The PNG to write.", DefaultValueFactory = _ => Defaults.Out };
    private static readonly AugmentOption Augment =
        new($"Augmentation preset: {string.Join(", ", TwoViewRecipe.Presets.Keys)}, or {PreviewOptions.AutoAugment} (chosen from the data).", Defaults.Augment);
    private static readonly Option<int> Count = new("--count") { Description = "Rows (images) in the grid.", DefaultValueFactory = _ => Defaults.Count };
    private static readonly Option<long> Seed = new("--seed") { Description = "Seed of the image choice and the views.", DefaultValueFactory = _ => Defaults.Seed };
    private static readonly Option<DataSplit> Split = new("--split") { Description = "Train, Test or All.", DefaultValueFactory = _ => Defaults.Split };
    private static readonly Option<bool> Epoch = new("--epoch") { Description = "Then read a whole epoch of two-view batches through the loader and print its speed." };
    private static readonly Option<int> BatchSize = new("--batch-size") { Description = "Batch size of --epoch.", DefaultValueFactory = _ => Defaults.BatchSize };
    private static readonly Option<int> Workers = new("--workers") { Description = "Loader worker threads of --epoch.", DefaultValueFactory = _ => Defaults.Workers };
    private static readonly Option<string?> CropScale = new("--crop-scale")
    { Description = $"Crop-scale range min,max of the two global views (default: that of the pre-training preset of the augmentation preset's name, e.g. fashion-mnist's {PretrainPresets.FashionMnist.CropScale})" };
    private static readonly Option<double> JitterStrength =
        new("--jitter-strength") { Description = PretrainCommand.JitterStrengthHelp, DefaultValueFactory = _ => Defaults.JitterStrength };
    private static readonly Option<string?> Blur = new("--blur") { Description = PretrainCommand.BlurHelp };
    private static readonly Option<string?> Solarize = new("--solarize") { Description = PretrainCommand.SolarizeHelp };

    public static Command Create()
    {
        var command = new Command("preview", "Write a grid of view pairs (original | view A | view B per row) as PNG.")
        {
            Data, Output, Count, Seed, Split, Epoch, BatchSize, Workers, CropScale, JitterStrength, Blur, Solarize,
        };
        Augment.AddTo(command);
        command.SetAction(parse => InputErrors.Guard(() => Run(Read(parse))));
        return command;
    }

    /// <summary>The options that the flags of <c>preview</c> set.</summary>
    internal static PreviewOptions Read(ParseResult parse) =>
        new(parse.GetValue(Data)!, parse.GetValue(Output)!, Augment.Value(parse)!, parse.GetValue(Count), parse.GetValue(Seed), parse.GetValue(Split),
            parse.GetValue(Epoch), parse.GetValue(BatchSize), parse.GetValue(Workers),
            parse.GetValue(CropScale) is { } scale ? Interval.Parse(scale) : null, parse.GetValue(JitterStrength),
            parse.GetValue(Blur) is { } blur ? ViewProbabilities.Parse(blur) : null,
            parse.GetValue(Solarize) is { } solarize ? ViewProbabilities.Parse(solarize) : null);

    /// <summary>
    /// <paramref name="options"/> with the crop range of <c>pretrain --preset NAME</c> when a pre-training preset
    /// has the augmentation preset's name and no <c>--crop-scale</c> was given: the views shown are the views trained on.
    /// </summary>
    internal static PreviewOptions AsTrained(PreviewOptions options) =>
        options.CropScale is null && PretrainPresets.All.TryGetValue(options.PresetName, out var training) &&
        training.Augment == options.PresetName
            ? options with { CropScale = training.CropScale }
            : options;

    private static int Run(PreviewOptions given)
    {
        given.Validate();
        var options = AsTrained(given);
        OutputPaths.File(options.Out, "--out", "views.png");
        torch.InitializeDeviceType(DeviceType.CPU);
        var report = new DataReport();
        var source = DataConsole.Open(options.Data, options.Split, report);
        var recipe = options.ViewRecipe();
        ViewPreview.Write(source, recipe, options.Out, options.Count, options.Seed);
        Console.WriteLine($"wrote       {options.Out} ({Math.Min(options.Count, source.Count)} rows: original | view A | view B; preset {options.PresetName}, " +
                          $"crop scale {recipe.A.CropScale}, jitter ×{options.JitterStrength.ToString(System.Globalization.CultureInfo.InvariantCulture)}, " +
                          $"blur {new ViewProbabilities(recipe.A.BlurProbability, recipe.B.BlurProbability)}, " +
                          $"solarize {new ViewProbabilities(recipe.A.SolarizeProbability, recipe.B.SolarizeProbability)})");
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
