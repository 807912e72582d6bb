using System.Text.Json;
using BarlowTwins.Models;

namespace BarlowTwins.Interop;

/// <summary>
/// A trained backbone on disk, readable without this library: a folder holding
/// <c>backbone.json</c> (how to build it: {"architecture": "resnet50", "inputChannels": 3,
/// "cifarStem": false, "width": 64, "stemStride": 1}) and <c>backbone.safetensors</c> (its state dict under
/// torchvision's names, in PyTorch's order). Training checkpoints can embed the same two files.
/// </summary>
public static class BackboneFile
{
    /// <summary>Name of the options file inside the folder.</summary>
    public const string OptionsFileName = "backbone.json";

    /// <summary>Name of the weights file inside the folder.</summary>
    public const string WeightsFileName = "backbone.safetensors";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    // StemStride defaults to 1 for files written before it existed.
    private sealed record OptionsDocument(string Architecture, int InputChannels, bool CifarStem, int Width, int StemStride = 1);

    /// <summary>True when <paramref name="directory"/> holds a saved backbone.</summary>
    public static bool Exists(string directory) =>
        File.Exists(Path.Combine(directory, OptionsFileName)) && File.Exists(Path.Combine(directory, WeightsFileName));

    /// <summary>Writes the backbone's options and weights into <paramref name="directory"/> (created if needed).</summary>
    public static void Save(string directory, ResNet backbone)
    {
        Directory.CreateDirectory(directory);
        var o = backbone.Options;
        var document = new OptionsDocument(o.Architecture.Name, o.InputChannels, o.CifarStem, o.Width, o.StemStride);
        File.WriteAllText(Path.Combine(directory, OptionsFileName), JsonSerializer.Serialize(document, Json) + "\n");
        SafeTensors.Save(Path.Combine(directory, WeightsFileName), PyTorchOrder.StateDict(backbone),
                         new Dictionary<string, string> { ["format"] = "pt", ["architecture"] = o.Architecture.Name });
    }

    /// <summary>Reads how the saved backbone is built.</summary>
    public static ResNetOptions ReadOptions(string directory)
    {
        var path = Path.Combine(directory, OptionsFileName);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{directory} holds no {OptionsFileName}; expected a folder written by 'barlow import' or by training.", path);
        var document = JsonSerializer.Deserialize<OptionsDocument>(File.ReadAllText(path), Json)
                       ?? throw new InvalidDataException($"{path} is empty.");
        return new ResNetOptions(ResNetArchitecture.Parse(document.Architecture), document.InputChannels, document.CifarStem, document.Width,
                                 StemStride: document.StemStride);
    }

    /// <summary>Builds the saved backbone and loads its weights (keys and shapes checked).</summary>
    public static ResNet Load(string directory)
    {
        var backbone = new ResNet(ReadOptions(directory));
        var (tensors, _) = SafeTensors.Load(Path.Combine(directory, WeightsFileName));
        try
        {
            StrictLoad.Into(backbone, tensors, "backbone");
            return backbone;
        }
        catch
        {
            backbone.Dispose();
            throw;
        }
        finally
        {
            foreach (var tensor in tensors.Values) tensor.Dispose();
        }
    }
}
