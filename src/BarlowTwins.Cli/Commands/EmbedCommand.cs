using System.CommandLine;
using BarlowTwins.Data;
using BarlowTwins.Evaluation;
using BarlowTwins.Interop;
using TorchSharp;

namespace BarlowTwins.Cli.Commands;

/// <summary><c>barlow embed</c>: backbone features of a dataset as .npy and CSV.</summary>
internal static class EmbedCommand
{
    public static Command Create()
    {
        var defaults = new EmbedOptions("", "", "");
        var checkpoint = new Option<string>("--checkpoint") { Description = "The backbone: " + BackboneSource.Help, Required = true };
        var data = new Option<string>("--data") { Description = "Images: " + DataSpec.Help, Required = true };
        var output = new Option<string>("--out") { Description = "STEM(.npy): writes STEM.npy (features), STEM.labels.npy, STEM.csv (index, path, label, class, features) and, for a folder, STEM.paths.txt", Required = true };
        var split = new Option<DataSplit>("--split") { Description = "train, test or all", DefaultValueFactory = _ => defaults.Split };
        var augment = new AugmentOption("Size and normalisation preset: imagenet, cifar, fashion-mnist (default: the run's, else from the data)");
        var batchSize = new Option<int>("--batch-size") { Description = "Images per forward pass", DefaultValueFactory = _ => defaults.BatchSize };
        var device = new Option<string>("--device") { Description = "cpu or cuda", DefaultValueFactory = _ => defaults.Device };
        var precision = EvalCommand.PrecisionOption(defaults.Precision);
        var plot = new Option<bool>("--plot") { Description = "Also draw STEM.png: a 2-D map of the embeddings (first two principal components), coloured by class" };
        var command = new Command("embed", "Write a backbone's features of a dataset (and the labels) as .npy and CSV.")
            { checkpoint, data, output, split, batchSize, device, precision, plot };
        augment.AddTo(command);
        command.SetAction(parse => InputErrors.Run(() =>
        {
            torch.InitializeDeviceType(DeviceType.CPU);
            var options = new EmbedOptions(parse.GetValue(checkpoint)!, parse.GetValue(data)!, parse.GetValue(output)!, parse.GetValue(split),
                                           augment.Value(parse), parse.GetValue(batchSize), parse.GetValue(device)!, parse.GetValue(plot),
                                           parse.GetValue(precision)!);
            options.Validate();
            OutputPaths.File(EmbeddingFiles.Of(options.Out).Features, "--out", "embeddings");
            Embeddings.Run(options, Console.Out, new ConsoleProgress());
        }));
        return command;
    }
}
