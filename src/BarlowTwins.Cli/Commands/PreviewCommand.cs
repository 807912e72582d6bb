using System.CommandLine;
using BarlowTwins.Augment;
using BarlowTwins.Data;
using TorchSharp;

namespace BarlowTwins.Cli.Commands;

/// <summary><c>barlow preview</c>: a PNG grid of the two views training sees.</summary>
internal static class PreviewCommand
{
    /// <summary>Everything one preview needs.</summary>
    private sealed record PreviewOptions(string Data, string Out, string Preset, int Count, long Seed, DataSplit Split);

    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = $"The images: {DataSpec.Help}.", Required = true };
        var output = new Option<string>("--out") { Description = "The PNG to write.", DefaultValueFactory = _ => "views.png" };
        var preset = new Option<string>("--preset")
        {
            Description = $"Augmentation preset: {string.Join(", ", TwoViewRecipe.Presets.Keys)}, or auto (chosen from the data).",
            DefaultValueFactory = _ => "auto",
        };
        var count = new Option<int>("--count") { Description = "Rows (images) in the grid.", DefaultValueFactory = _ => 8 };
        var seed = new Option<long>("--seed") { Description = "Seed of the image choice and the views.", DefaultValueFactory = _ => 0 };
        var split = new Option<DataSplit>("--split") { Description = "Train, Test or All.", DefaultValueFactory = _ => DataSplit.Train };
        var command = new Command("preview", "Write a grid of view pairs (original | view A | view B per row) as PNG.")
        {
            data, output, preset, count, seed, split,
        };
        command.SetAction(parse => InputErrors.Guard(() => Run(new PreviewOptions(parse.GetValue(data)!, parse.GetValue(output)!, parse.GetValue(preset)!,
                                                          parse.GetValue(count), parse.GetValue(seed), parse.GetValue(split)))));
        return command;
    }

    private static int Run(PreviewOptions options)
    {
        torch.InitializeDeviceType(DeviceType.CPU);
        var report = new DataReport();
        var source = DataConsole.Open(options.Data, options.Split, report);
        string presetName = options.Preset == "auto" ? ViewPreview.PresetFor(DataSpec.Parse(options.Data)) : options.Preset;
        ViewPreview.Write(source, TwoViewRecipe.Preset(presetName), options.Out, options.Count, options.Seed);
        Console.WriteLine($"wrote       {options.Out} ({Math.Min(options.Count, source.Count)} rows: original | view A | view B; preset {presetName})");
        DataConsole.PrintReport(report);
        return 0;
    }
}
