using System.IO.Compression;
using static TorchSharp.torch;

namespace BarlowTwins.Interop.Pickle;

/// <summary>
/// Turns an accepted pickle graph into tensors: reads each storage (archive/data/KEY) once and
/// takes every tensor as a strided view into it (shape, stride, storage offset), copied out.
/// </summary>
internal sealed class StorageReader(ZipArchive zip, string prefix, string source) : IDisposable
{
    private readonly Dictionary<string, Tensor> storages = [];

    /// <summary>The same graph with every <see cref="TensorReference"/> replaced by a tensor.</summary>
    public object? Materialise(object? node) => node switch
    {
        TensorReference tensor => Read(tensor),
        OrderedDictionary<object, object?> dict => MaterialiseValues(dict),
        List<object?> list => list.Select(Materialise).ToList(),
        object?[] tuple => tuple.Select(Materialise).ToArray(),
        StorageReference or PickleGlobal => throw new InvalidDataException($"{source}: a bare storage or global is not a value that can be loaded."),
        _ => node,
    };

    private OrderedDictionary<object, object?> MaterialiseValues(OrderedDictionary<object, object?> dict)
    {
        foreach (var key in dict.Keys.ToList()) dict[key] = Materialise(dict[key]);
        return dict;
    }

    private Tensor Read(TensorReference t)
    {
        var storage = Storage(t.Storage);
        long last = t.Offset + t.Shape.Zip(t.Stride, (size, stride) => size == 0 ? 0 : (size - 1) * stride).Sum();
        if (t.Offset < 0 || t.Shape.Any(s => s < 0) || t.Stride.Any(s => s < 0) || t.Shape.Length != t.Stride.Length
            || (t.Shape.All(s => s > 0) && last >= t.Storage.Count))
            throw new InvalidDataException(
                $"{source}: a tensor of shape [{string.Join(", ", t.Shape)}] with stride [{string.Join(", ", t.Stride)}] " +
                $"at offset {t.Offset} does not fit storage {t.Storage.Key} of {t.Storage.Count} elements.");
        using var view = storage.as_strided(t.Shape, t.Stride, t.Offset);
        return view.contiguous().requires_grad_(t.RequiresGrad); // shares the storage, as PyTorch does
    }

    private Tensor Storage(StorageReference reference)
    {
        if (storages.TryGetValue(reference.Key, out var cached)) return cached;
        var entry = zip.GetEntry(prefix + "data/" + reference.Key)
                    ?? throw new InvalidDataException($"{source}: storage data/{reference.Key} is missing from the archive.");
        var storage = empty(reference.Count, reference.DType);
        long expected = reference.Count * storage.ElementSize;
        if (entry.Length != expected)
            throw new InvalidDataException($"{source}: storage data/{reference.Key} holds {entry.Length} bytes, {expected} expected ({reference.Count} × {reference.DType}).");
        using (var stream = entry.Open()) stream.ReadExactly(storage.bytes);
        storages[reference.Key] = storage;
        return storage;
    }

    public void Dispose()
    {
        foreach (var storage in storages.Values) storage.Dispose();
    }
}
