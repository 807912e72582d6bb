using System.CommandLine;
using BarlowTwins.Evaluation;
using BarlowTwins.Interop;
using TorchSharp;

namespace BarlowTwins.Cli.Commands;

/// <summary><c>barlow export</c>: a trained backbone to ONNX, PyTorch, safetensors or TorchSharp.</summary>
internal static class ExportCommand
{
    private static readonly Option<string> Checkpoint = new("--checkpoint") { Description = "The backbone: " + BackboneSource.Help, Required = true };
    private static readonly Option<string> Format = new("--format") { Description = "onnx | pytorch | safetensors | torchsharp", Required = true };
    private static readonly Option<string> Output = new("--out") { Description = "File to write", Required = true };
    private static readonly Option<int> Probe = new("--probe")
    {
        Description = "Also write N random images and our features of them (.probe-input.npy, .probe-features.npy) to check the export elsewhere",
        DefaultValueFactory = _ => new ExportOptions("", ExportFormat.Onnx, "").ProbeCount,
    };

    public static Command Create()
    {
        var command = new Command("export", "Export a backbone for ONNX Runtime, PyTorch or other tools.") { Checkpoint, Format, Output, Probe };
        command.SetAction(parse => InputErrors.Run(() =>
        {
            torch.InitializeDeviceType(DeviceType.CPU);
            var options = Read(parse);
            options.Validate();
            OutputPaths.File(options.Out, "--out", $"backbone.{options.Format.ToString().ToLowerInvariant()}");
            var loaded = BackboneSource.Load(options.Checkpoint);
            using var backbone = loaded.Backbone;
            BackboneExporter.Run(backbone, loaded.Metadata, options, Console.Out);
        }));
        return command;
    }

    /// <summary>The options that the flags of <c>export</c> set.</summary>
    internal static ExportOptions Read(ParseResult parse) =>
        new(parse.GetValue(Checkpoint)!, BackboneExporter.ParseFormat(parse.GetValue(Format)!), parse.GetValue(Output)!, parse.GetValue(Probe));
}
