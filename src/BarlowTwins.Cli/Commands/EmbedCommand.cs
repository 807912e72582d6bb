using System.CommandLine;
using BarlowTwins.Cli.Runs;
using BarlowTwins.Data;
using BarlowTwins.Evaluation;
using BarlowTwins.Interop;
using TorchSharp;

namespace BarlowTwins.Cli.Commands;

/// <summary><c>barlow embed</c>: backbone features of a dataset as .npy and CSV.</summary>
internal static class EmbedCommand
{
    private static readonly EmbedOptions Defaults = new("", "", "");
    private static readonly Option<string> Checkpoint = new("--checkpoint") { Description = "The backbone: " + BackboneSource.Help, Required = true };
    private static readonly Option<string> Data = new("--data") { Description = "Images: " + DataSpec.Help, Required = true };
    private static readonly Option<string> Output = new("--out")
    { Description = "STEM(.npy): writes STEM.npy (features), STEM.labels.npy, STEM.csv (index, path, label, class, features) and, for a folder, STEM.paths.txt", Required = true };
    private static readonly Option<DataSplit> Split = new("--split") { Description = "train, test or all", DefaultValueFactory = _ => Defaults.Split };
    private static readonly AugmentOption Augment = new("Size and normalisation preset: imagenet, cifar, fashion-mnist (default: the run's, else from the data)");
    private static readonly Option<int> BatchSize = new("--batch-size") { Description = "Images per forward pass", DefaultValueFactory = _ => Defaults.BatchSize };
    private static readonly Option<string> Device = new("--device") { Description = "cpu or cuda", DefaultValueFactory = _ => Defaults.Device };
    private static readonly Option<string> Precision = EvalCommand.PrecisionOption(Defaults.Precision);
    private static readonly Option<bool> Plot = new("--plot")
    { Description = "Also draw STEM.png: a 2-D map of the embeddings (first two principal components), coloured by class" };

    public static Command Create()
    {
        var command = new Command("embed", "Write a backbone's features of a dataset (and the labels) as .npy and CSV.")
            { Checkpoint, Data, Output, Split, BatchSize, Device, Precision, Plot };
        Augment.AddTo(command);
        command.SetAction(parse => InputErrors.Run(() =>
        {
            torch.InitializeDeviceType(DeviceType.CPU);
            var options = Read(parse);
            options.Validate();
            OutputPaths.File(EmbeddingFiles.Of(options.Out).Features, "--out", "embeddings");
            Embeddings.Run(options, Console.Out, new ConsoleProgress());
        }));
        return command;
    }

    /// <summary>The options that the flags of <c>embed</c> set.</summary>
    internal static EmbedOptions Read(ParseResult parse) =>
        new(parse.GetValue(Checkpoint)!, parse.GetValue(Data)!, parse.GetValue(Output)!, parse.GetValue(Split), Augment.Value(parse),
            parse.GetValue(BatchSize), parse.GetValue(Device)!, parse.GetValue(Plot), parse.GetValue(Precision)!);
}
