using BarlowTwins.Models;
using static TorchSharp.torch;

namespace BarlowTwins.Interop;

/// <summary>
/// The backbone (and, when present, projector) tensors of a PyTorch checkpoint, whatever its
/// layout: a torchvision ResNet state dict (fc.* dropped), the authors' released resnet50.pth
/// (backbone only), or a training checkpoint ({'model' or 'state_dict': …} with keys under
/// module.backbone., module.projector. and the loss's module.bn., which is dropped).
/// Owns its tensors.
/// </summary>
public sealed class PyTorchWeights : IDisposable
{
    /// <summary>Backbone tensors under torchvision's names (conv1.weight, layer1.0.bn1.bias, …).</summary>
    public IReadOnlyDictionary<string, Tensor> Backbone { get; }

    /// <summary>Projector tensors under the authors' names (0.weight, 1.running_mean, …); empty when absent.</summary>
    public IReadOnlyDictionary<string, Tensor> Projector { get; }

    /// <summary>What was recognised and dropped, for the user to read.</summary>
    public IReadOnlyList<string> Notes { get; }

    private PyTorchWeights(Dictionary<string, Tensor> backbone, Dictionary<string, Tensor> projector, List<string> notes)
    {
        Backbone = backbone;
        Projector = projector;
        Notes = notes;
    }

    /// <summary>Reads a torch.save file and sorts its tensors into backbone and projector.</summary>
    public static PyTorchWeights Load(string path)
    {
        var notes = new List<string>();
        var stateDict = FindStateDict(PyTorchCheckpoint.Load(path), path, notes);
        return Split(stateDict, notes);
    }

    /// <summary>Sorts a flat state dict (any of the layouts above) into backbone and projector; takes ownership of its tensors.</summary>
    public static PyTorchWeights Split(IReadOnlyDictionary<string, Tensor> stateDict, List<string>? notes = null)
    {
        notes ??= [];
        var keys = stateDict.Keys.ToList();
        string prefix = keys.Count > 0 && keys.All(k => k.StartsWith("module.", StringComparison.Ordinal)) ? "module." : "";
        if (prefix.Length > 0) notes.Add("Removed the 'module.' prefix (DataParallel / DistributedDataParallel).");
        bool twin = keys.Any(k => k.StartsWith(prefix + "backbone.", StringComparison.Ordinal));
        var backbone = new Dictionary<string, Tensor>();
        var projector = new Dictionary<string, Tensor>();
        var dropped = new List<string>();
        foreach (var (fullKey, tensor) in stateDict)
        {
            var key = fullKey[prefix.Length..];
            if (twin && TryStrip(key, "backbone.", out var inBackbone)) backbone[inBackbone] = tensor;
            else if (twin && TryStrip(key, "projector.", out var inProjector)) projector[inProjector] = tensor;
            else if (IsKnownExtra(key, twin)) Drop(fullKey, tensor, dropped);
            else backbone[key] = tensor;
        }
        if (dropped.Count > 0) notes.Add($"Dropped {dropped.Count} tensors that belong to neither backbone nor projector: {Summarise(dropped)}.");
        return new PyTorchWeights(backbone, projector, notes);
    }

    /// <summary>Copies the backbone tensors into <paramref name="backbone"/>; keys and shapes must match exactly.</summary>
    public void LoadInto(ResNet backbone) => StrictLoad.Into(backbone, Backbone, "backbone");

    /// <summary>Copies backbone and projector tensors into <paramref name="twin"/>; keys and shapes must match exactly.</summary>
    public void LoadInto(TwinNetwork twin)
    {
        if (Projector.Count == 0)
            throw new InvalidDataException("The checkpoint holds no projector (no 'projector.*' keys); load it into a ResNet instead.");
        StrictLoad.Into(twin.Backbone, Backbone, "backbone");
        StrictLoad.Into(twin.Projector, Projector, "projector");
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var tensor in Backbone.Values.Concat(Projector.Values)) tensor.Dispose();
    }

    // torchvision's classifier (fc.*) and, in a twin checkpoint, the loss's affine-free BN (bn.*).
    private static bool IsKnownExtra(string key, bool twin) =>
        key.StartsWith("fc.", StringComparison.Ordinal) || (twin && key.StartsWith("bn.", StringComparison.Ordinal));

    private static void Drop(string key, Tensor tensor, List<string> dropped)
    {
        dropped.Add(key);
        tensor.Dispose();
    }

    private static bool TryStrip(string key, string prefix, out string rest)
    {
        rest = key.StartsWith(prefix, StringComparison.Ordinal) ? key[prefix.Length..] : key;
        return rest.Length != key.Length;
    }

    private static string Summarise(List<string> keys) =>
        string.Join(", ", keys.Take(6)) + (keys.Count > 6 ? $" and {keys.Count - 6} more" : "");

    private static Dictionary<string, Tensor> FindStateDict(object? root, string path, List<string> notes)
    {
        if (root is not OrderedDictionary<object, object?> dict)
            throw new InvalidDataException($"{path}: holds a {root?.GetType().Name ?? "None"}, not a dict of tensors.");
        foreach (var name in new[] { "state_dict", "model" })
        {
            if (dict.TryGetValue(name, out var inner) && inner is OrderedDictionary<object, object?> nested)
            {
                notes.Add($"Read the training checkpoint's '{name}' entry; its other entries ({string.Join(", ", dict.Keys.Where(k => !Equals(k, name)))}) are ignored.");
                DisposeTensors(dict.Where(kv => !Equals(kv.Key, name)).Select(kv => kv.Value));
                return TensorsOf(nested, path);
            }
        }
        return TensorsOf(dict, path);
    }

    private static Dictionary<string, Tensor> TensorsOf(OrderedDictionary<object, object?> dict, string path)
    {
        var notTensors = dict.Where(kv => kv.Key is not string || kv.Value is not Tensor).Select(kv => kv.Key.ToString()).ToList();
        if (notTensors.Count > 0)
            throw new InvalidDataException(
                $"{path}: expected a state dict (name → tensor), but {Summarise(notTensors!)} are not tensors. " +
                "Save model.state_dict(), or a dict with the state dict under 'model' or 'state_dict'.");
        return dict.ToDictionary(kv => (string)kv.Key, kv => (Tensor)kv.Value!);
    }

    // The loaded graph may share containers (the pickle's memo): each is visited once.
    private static void DisposeTensors(IEnumerable<object?> values, HashSet<object>? seen = null)
    {
        seen ??= new HashSet<object>(ReferenceEqualityComparer.Instance);
        foreach (var value in values)
        {
            if (value is null || !seen.Add(value)) continue;
            switch (value)
            {
                case Tensor t: t.Dispose(); break;
                case OrderedDictionary<object, object?> d: DisposeTensors(d.Values, seen); break;
                case IEnumerable<object?> items: DisposeTensors(items, seen); break;
            }
        }
    }
}
