using TorchSharp;
using static TorchSharp.torch;

namespace BarlowTwins.Interop;

/// <summary>
/// A module's state dict in PyTorch's order: for each module its own parameters, then its own
/// persistent buffers, then its children, depth first. (TorchSharp's state_dict() lists every
/// parameter before every buffer.) The tensors are the module's own, not copies.
/// </summary>
public static class PyTorchOrder
{
    /// <summary>(key, tensor) pairs in the order torch's Module.state_dict() yields them.</summary>
    public static IEnumerable<KeyValuePair<string, Tensor>> StateDict(nn.Module module, string prefix = "")
    {
        foreach (var (name, parameter) in module.named_parameters(recurse: false))
            yield return new(prefix + name, parameter);
        foreach (var (name, buffer) in module.named_buffers(recurse: false, include_nonpersistent: false))
            yield return new(prefix + name, buffer);
        foreach (var (name, child) in module.named_children())
            foreach (var entry in StateDict(child, $"{prefix}{name}."))
                yield return entry;
    }
}
