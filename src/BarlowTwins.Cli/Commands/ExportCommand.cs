using System.CommandLine;
using BarlowTwins.Evaluation;
using BarlowTwins.Interop;
using TorchSharp;

namespace BarlowTwins.Cli.Commands;

/// <summary><c>barlow export</c>: a trained backbone to ONNX, PyTorch, safetensors or TorchSharp.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var defaults = new ExportOptions("", ExportFormat.Onnx, "");
        var checkpoint = new Option<string>("--checkpoint") { Description = "The backbone: " + BackboneSource.Help, Required = true };
        var format = new Option<string>("--format") { Description = "onnx | pytorch | safetensors | torchsharp", Required = true };
        var output = new Option<string>("--out") { Description = "File to write", Required = true };
        var probe = new Option<int>("--probe") { Description = "Also write N random images and our features of them (.probe-input.npy, .probe-features.npy) to check the export elsewhere", DefaultValueFactory = _ => defaults.ProbeCount };
        var command = new Command("export", "Export a backbone for ONNX Runtime, PyTorch or other tools.") { checkpoint, format, output, probe };
        command.SetAction(parse => InputErrors.Run(() =>
        {
            torch.InitializeDeviceType(DeviceType.CPU);
            var options = new ExportOptions(parse.GetValue(checkpoint)!, BackboneExporter.ParseFormat(parse.GetValue(format)!), parse.GetValue(output)!, parse.GetValue(probe));
            options.Validate();
            OutputPaths.File(options.Out, "--out", $"backbone.{options.Format.ToString().ToLowerInvariant()}");
            var loaded = BackboneSource.Load(options.Checkpoint);
            using var backbone = loaded.Backbone;
            BackboneExporter.Run(backbone, loaded.Metadata, options, Console.Out);
        }));
        return command;
    }
}
