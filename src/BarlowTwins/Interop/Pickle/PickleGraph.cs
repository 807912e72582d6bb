using static TorchSharp.torch;

namespace BarlowTwins.Interop.Pickle;

// What the restricted unpickler produces: plain values (null, bool, long, double, string, byte[]),
// List<object?> (list), object?[] (tuple), OrderedDictionary<object, object?> (dict, OrderedDict)
// and the records below. Nothing here runs code or touches tensor memory: tensors are read from
// the archive only after the whole pickle has been accepted.

/// <summary>A class or function named by the pickle that the allow-list accepted.</summary>
internal sealed record PickleGlobal(string Module, string Name)
{
    public override string ToString() => $"{Module}.{Name}";
}

/// <summary>A storage the pickle refers to by persistent id: archive/data/{Key}, Count elements of DType.</summary>
internal sealed record StorageReference(string Key, ScalarType DType, long Count);

/// <summary>torch._utils._rebuild_tensor_v2's arguments: a strided view into a storage.</summary>
internal sealed record TensorReference(StorageReference Storage, long Offset, long[] Shape, long[] Stride, bool RequiresGrad);
