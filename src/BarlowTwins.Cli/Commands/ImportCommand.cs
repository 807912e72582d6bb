using System.CommandLine;
using BarlowTwins.Interop;
using BarlowTwins.Models;
using TorchSharp;

namespace BarlowTwins.Cli.Commands;

/// <summary><c>barlow import</c>: a PyTorch checkpoint into a backbone folder.</summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var from = new Option<string>("--from") { Description = "torch.save file: torchvision state dict, the authors' resnet50.pth, or a training checkpoint", Required = true };
        var arch = new Option<string?>("--arch") { Description = "resnet18 | resnet34 | resnet50 (default: read from the checkpoint's keys)" };
        var cifarStem = new Option<bool?>("--cifar-stem") { Description = "3×3 stem without max-pool (default: read from conv1.weight)" };
        var stemStride = new Option<int>("--stem-stride")
        { Description = "Stride of the CIFAR stem, 1 or 2 (weights do not record it)", DefaultValueFactory = _ => new ImportOptions("", null, "").StemStride };
        var channels = new Option<int?>("--channels") { Description = "Input channels, 1 or 3 (default: read from conv1.weight)" };
        var output = new Option<string>("--out") { Description = "Backbone folder to write", Required = true };
        var command = new Command("import", "Import PyTorch weights (tensors only; nothing in the file is executed).") { from, arch, cifarStem, stemStride, channels, output };
        command.SetAction(parse => InputErrors.Run(() =>
        {
            torch.InitializeDeviceType(DeviceType.CPU);
            var options = new ImportOptions(parse.GetValue(from)!, parse.GetValue(arch) is { } name ? ResNetArchitecture.Parse(name) : null, parse.GetValue(output)!,
                                            parse.GetValue(channels), parse.GetValue(cifarStem), parse.GetValue(stemStride));
            OutputPaths.Folder(options.Out, "--out");
            PyTorchImport.Run(options, Console.Out);
        }));
        return command;
    }
}
