using static TorchSharp.torch;

namespace BarlowTwins.Interop.Pickle;

/// <summary>
/// The only names a PyTorch pickle may use here: tensor rebuilding, typed storages and
/// OrderedDict. Everything else (os.system, builtins.eval, any class) is refused.
/// </summary>
internal static class TorchPickleGlobals
{
    public static readonly PickleGlobal OrderedDict = new("collections", "OrderedDict");
    public static readonly PickleGlobal RebuildTensorV2 = new("torch._utils", "_rebuild_tensor_v2");
    public static readonly PickleGlobal RebuildParameter = new("torch._utils", "_rebuild_parameter");

    /// <summary>torch.*Storage class names and the dtype of their elements.</summary>
    public static readonly IReadOnlyDictionary<string, ScalarType> StorageTypes = new Dictionary<string, ScalarType>
    {
        ["FloatStorage"] = ScalarType.Float32,
        ["DoubleStorage"] = ScalarType.Float64,
        ["HalfStorage"] = ScalarType.Float16,
        ["BFloat16Storage"] = ScalarType.BFloat16,
        ["LongStorage"] = ScalarType.Int64,
        ["IntStorage"] = ScalarType.Int32,
        ["ShortStorage"] = ScalarType.Int16,
        ["CharStorage"] = ScalarType.Int8,
        ["ByteStorage"] = ScalarType.Byte,
        ["BoolStorage"] = ScalarType.Bool,
    };

    /// <summary>The storage class name PyTorch writes for a dtype.</summary>
    public static string StorageTypeOf(ScalarType dtype) =>
        StorageTypes.FirstOrDefault(kv => kv.Value == dtype).Key
        ?? throw new NotSupportedException($"No PyTorch storage type for dtype {dtype}.");

    /// <summary>Accepts an allowed global or throws before anything is built.</summary>
    public static PickleGlobal Resolve(string module, string name)
    {
        var global = new PickleGlobal(module, name);
        bool allowed = global == OrderedDict || global == RebuildTensorV2 || global == RebuildParameter
                       || (module == "torch" && StorageTypes.ContainsKey(name));
        return allowed
            ? global
            : throw new UnsafePickleException(
                $"The pickle names '{module}.{name}', which is not a tensor, storage or plain container. " +
                "Only state dicts (tensors, dicts, lists, tuples, numbers, strings) are loaded; " +
                "nothing was executed. Re-save the file with torch.save(model.state_dict(), path).");
    }
}
