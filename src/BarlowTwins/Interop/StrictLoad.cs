using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace BarlowTwins.Interop;

/// <summary>
/// Copies named tensors into a module's parameters and buffers after checking that keys and
/// shapes match exactly; every problem is listed in one error. Parameters are copied into in
/// place, so they stay the module's trainable parameters (requires_grad unchanged).
/// </summary>
public static class StrictLoad
{
    /// <summary>Loads <paramref name="source"/> into <paramref name="module"/>; <paramref name="what"/> names it in errors.</summary>
    public static void Into(nn.Module module, IReadOnlyDictionary<string, Tensor> source, string what)
    {
        var target = module.state_dict();
        var missing = target.Keys.Where(k => !source.ContainsKey(k)).ToList();
        var unexpected = source.Keys.Where(k => !target.ContainsKey(k)).ToList();
        var mismatched = target.Where(kv => source.TryGetValue(kv.Key, out var s) && !s.shape.SequenceEqual(kv.Value.shape))
                               .Select(kv => $"{kv.Key}: checkpoint {Shape(source[kv.Key])}, model {Shape(kv.Value)}").ToList();
        if (missing.Count + unexpected.Count + mismatched.Count > 0)
            throw new InvalidDataException(Describe(what, missing, unexpected, mismatched));
        using var _ = no_grad();
        foreach (var (key, tensor) in target) tensor.copy_(source[key]);
    }

    private static string Describe(string what, List<string> missing, List<string> unexpected, List<string> mismatched)
    {
        var text = new StringBuilder($"The checkpoint does not fit the {what}");
        text.Append(" (check architecture, input channels, CIFAR stem and width):");
        Section(text, "missing from the checkpoint", missing);
        Section(text, "in the checkpoint but not in the model", unexpected);
        Section(text, "shape differs", mismatched);
        return text.ToString();
    }

    private static void Section(StringBuilder text, string title, List<string> items)
    {
        if (items.Count == 0) return;
        text.Append($"\n  {title} ({items.Count}): {string.Join(", ", items.Take(12))}");
        if (items.Count > 12) text.Append($" … and {items.Count - 12} more");
    }

    private static string Shape(Tensor t) => t.dim() == 0 ? "scalar" : "[" + string.Join("×", t.shape) + "]";
}
