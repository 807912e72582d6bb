using System.CommandLine;
using BarlowTwins.Interop;
using BarlowTwins.Models;
using TorchSharp;

namespace BarlowTwins.Cli.Commands;

/// <summary><c>barlow import</c>: a PyTorch checkpoint into a backbone folder.</summary>
internal static class ImportCommand
{
    private static readonly Option<string> From = new("--from")
    { Description = "torch.save file: torchvision state dict, the authors' resnet50.pth, or a training checkpoint", Required = true };
    private static readonly Option<string?> Arch = new("--arch") { Description = "resnet18 | resnet34 | resnet50 (default: read from the checkpoint's keys)" };
    private static readonly Option<bool?> CifarStem = new("--cifar-stem") { Description = "3×3 stem without max-pool (default: read from conv1.weight)" };
    private static readonly Option<int> StemStride = new("--stem-stride")
    { Description = "Stride of the CIFAR stem, 1 or 2 (weights do not record it)", DefaultValueFactory = _ => new ImportOptions("", null, "").StemStride };
    private static readonly Option<int?> Channels = new("--channels") { Description = "Input channels, 1 or 3 (default: read from conv1.weight)" };
    private static readonly Option<string> Output = new("--out") { Description = "Backbone folder to write", Required = true };

    public static Command Create()
    {
        var command = new Command("import", "Import PyTorch weights (tensors only; nothing in the file is executed).")
            { From, Arch, CifarStem, StemStride, Channels, Output };
        command.SetAction(parse => InputErrors.Run(() =>
        {
            torch.InitializeDeviceType(DeviceType.CPU);
            var options = Read(parse);
            OutputPaths.Folder(options.Out, "--out");
            PyTorchImport.Run(options, Console.Out);
        }));
        return command;
    }

    /// <summary>The options that the flags of <c>import</c> set.</summary>
    internal static ImportOptions Read(ParseResult parse) =>
        new(parse.GetValue(From)!, parse.GetValue(Arch) is { } name ? ResNetArchitecture.Parse(name) : null, parse.GetValue(Output)!,
            parse.GetValue(Channels), parse.GetValue(CifarStem), parse.GetValue(StemStride));
}
