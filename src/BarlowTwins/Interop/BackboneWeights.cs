using BarlowTwins.Models;
using TorchSharp;

namespace BarlowTwins.Interop;

/// <summary>
/// Copies into a backbone built elsewhere (<c>pretrain --init-from</c>) the weights of anything
/// <c>barlow import</c> or <c>barlow export</c> writes, or of a pre-training run folder. Keys and
/// shapes must match exactly; where the source also records how it is built (a backbone or run
/// folder), that must match too, since the stem's stride is in no weights file. BN running
/// statistics come along with the weights.
/// </summary>
public static class BackboneWeights
{
    /// <summary>Help text for options that take such a source.</summary>
    public const string Help =
        "a backbone folder (barlow import), a pre-training run folder, or a file barlow export wrote: " +
        ".safetensors, .pth/.pt (torchvision's and the authors' too), .dat (torchsharp)";

    /// <summary>
    /// The backbone file of a pre-training run folder (TorchSharp's format), named here because
    /// Interop reads it and sits below Training; <c>Training.RunFolder</c> names it by this.
    /// </summary>
    public const string RunBackboneFileName = "backbone.dat";

    /// <summary>Loads the weights <paramref name="source"/> holds into <paramref name="target"/>.</summary>
    /// <exception cref="InvalidDataException">The weights do not fit <paramref name="target"/>.</exception>
    /// <exception cref="NotSupportedException">An ONNX file (its batch-norms are folded away).</exception>
    public static void LoadInto(ResNet target, string source)
    {
        if (Directory.Exists(source) && !BackboneFile.Exists(source))
        {
            // A pre-training run folder: its backbone.dat, checked key by key and shape by shape
            // (the run's own options are Training's to read; Interop stays below Training).
            string weights = Path.Combine(source, RunBackboneFileName);
            if (!File.Exists(weights)) throw new FileNotFoundException($"{source} holds neither a backbone folder nor a run's backbone.dat; expected {Help}.", weights);
            LoadTorchSharp(target, weights);
            return;
        }
        if (Directory.Exists(source))
        {
            using var loaded = BackboneFile.Load(source);
            if (Describe(loaded.Options) != Describe(target.Options))
                throw new InvalidDataException(
                    $"{source} holds a {Describe(loaded.Options)} but this run builds a {Describe(target.Options)}: " +
                    "set --backbone, --width, --channels, --cifar-stem and --stem-stride to match it.");
            StrictLoad.Into(target, loaded.state_dict(), "backbone");
            return;
        }
        if (!File.Exists(source)) throw new FileNotFoundException($"{source}: no such file or folder; expected {Help}.", source);
        switch (Path.GetExtension(source).ToLowerInvariant())
        {
            case ".onnx":
                throw new NotSupportedException(
                    $"{source}: an ONNX export has its batch-norms folded into the convolutions, so training cannot restart from it; " +
                    "export --format safetensors or pytorch instead.");
            case ".safetensors":
                var (tensors, _) = SafeTensors.Load(source);
                try { StrictLoad.Into(target, tensors, "backbone"); }
                finally { foreach (var tensor in tensors.Values) tensor.Dispose(); }
                break;
            case ".dat":
                LoadTorchSharp(target, source);
                break;
            default:
                using (var weights = PyTorchWeights.Load(source)) weights.LoadInto(target);
                break;
        }
    }

    /// <summary>The backbone in words: "resnet18 width 32, 1 channel(s), CIFAR stem".</summary>
    public static string Describe(ResNetOptions o) => $"{o.Architecture.Name} width {o.Width}, {o.InputChannels} channel(s), {o.StemDescription}";

    // TorchSharp's format names its tensors but its loader's errors do not say what to change; it
    // is read into a copy first so a file that does not fit leaves the target untouched.
    private static void LoadTorchSharp(ResNet target, string source)
    {
        using var copy = new ResNet(target.Options);
        try { copy.load(source); }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or EndOfStreamException)
        {
            throw new InvalidDataException($"{source} does not fit the {Describe(target.Options)} ({e.Message}).", e);
        }
        StrictLoad.Into(target, copy.state_dict(), "backbone");
    }
}
