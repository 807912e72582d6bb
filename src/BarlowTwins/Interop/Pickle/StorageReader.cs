using System.IO.Compression;
using static TorchSharp.torch;

namespace BarlowTwins.Interop.Pickle;

/// <summary>
/// Turns an accepted pickle graph into tensors: reads each storage (archive/data/KEY) once and
/// takes every tensor as a strided view into it (shape, stride, storage offset), copied out.
/// </summary>
internal sealed class StorageReader(ZipArchive zip, string prefix, string source) : IDisposable
{
    // Checkpoints nest a few levels (checkpoint → model → tensors); a crafted pickle could nest
    // deeply enough to overflow the stack, and a crafted view could claim terabytes.
    private const int MaxDepth = 100;
    private const long MaxElements = int.MaxValue;
    private readonly Dictionary<string, Tensor> storages = [];

    /// <summary>The same graph with every <see cref="TensorReference"/> replaced by a tensor.</summary>
    public object? Materialise(object? node, int depth = 0) => depth > MaxDepth
        ? throw new InvalidDataException($"{source}: containers nest more than {MaxDepth} levels deep.")
        : node switch
        {
            TensorReference tensor => Read(tensor),
            OrderedDictionary<object, object?> dict => MaterialiseValues(dict, depth + 1),
            List<object?> list => list.Select(item => Materialise(item, depth + 1)).ToList(),
            object?[] tuple => tuple.Select(item => Materialise(item, depth + 1)).ToArray(),
            StorageReference or PickleGlobal => throw new InvalidDataException($"{source}: a bare storage or global is not a value that can be loaded."),
            _ => node,
        };

    private OrderedDictionary<object, object?> MaterialiseValues(OrderedDictionary<object, object?> dict, int depth)
    {
        foreach (var key in dict.Keys.ToList()) dict[key] = Materialise(dict[key], depth);
        return dict;
    }

    private Tensor Read(TensorReference t)
    {
        if (!FitsStorage(t))
            throw new InvalidDataException(
                $"{source}: a tensor of shape [{string.Join(", ", t.Shape)}] with stride [{string.Join(", ", t.Stride)}] " +
                $"at offset {t.Offset} does not fit storage {t.Storage.Key} of {t.Storage.Count} elements.");
        var storage = Storage(t.Storage);
        using var view = storage.as_strided(t.Shape, t.Stride, t.Offset);
        return view.contiguous().requires_grad_(t.RequiresGrad); // shares the storage, as PyTorch does
    }

    private static bool FitsStorage(TensorReference t)
    {
        if (t.Offset < 0 || t.Shape.Length != t.Stride.Length || t.Shape.Any(s => s < 0) || t.Stride.Any(s => s < 0)) return false;
        try
        {
            long elements = t.Shape.Aggregate(1L, (n, size) => checked(n * size));
            if (elements == 0) return t.Offset <= t.Storage.Count;
            long last = t.Shape.Zip(t.Stride, (size, stride) => checked((size - 1) * stride)).Aggregate(t.Offset, (a, b) => checked(a + b));
            return elements <= MaxElements && last < t.Storage.Count;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    private Tensor Storage(StorageReference reference)
    {
        if (storages.TryGetValue(reference.Key, out var cached)) return cached;
        var entry = zip.GetEntry(prefix + "data/" + reference.Key)
                    ?? throw new InvalidDataException($"{source}: storage data/{reference.Key} is missing from the archive.");
        if (reference.Count < 0 || reference.Count > MaxElements || entry.Length != reference.Count * ElementSize(reference.DType)) // before allocating
            throw new InvalidDataException($"{source}: storage data/{reference.Key} holds {entry.Length} bytes, {reference.Count} × {reference.DType} expected.");
        var storage = empty(reference.Count, reference.DType);
        using (var stream = entry.Open()) stream.ReadExactly(storage.bytes);
        storages[reference.Key] = storage;
        return storage;
    }

    private static long ElementSize(ScalarType dtype)
    {
        using var probe = empty(0, dtype);
        return probe.ElementSize;
    }

    public void Dispose()
    {
        foreach (var storage in storages.Values) storage.Dispose();
    }
}
