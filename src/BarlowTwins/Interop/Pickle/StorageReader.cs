using System.IO.Compression;
using static TorchSharp.torch;

namespace BarlowTwins.Interop.Pickle;

/// <summary>
/// Turns an accepted pickle graph into tensors: reads each storage (archive/data/KEY) once and
/// takes every tensor as a strided view into it (shape, stride, storage offset), copied out when
/// not contiguous. Every container and tensor reference is visited once, however many times the
/// pickle's memo shares it (a graph a few hundred bytes long can hold 2^40 paths), and every
/// allocation is charged to the file's <see cref="PickleBudget"/> before it is made.
/// </summary>
internal sealed class StorageReader(ZipArchive zip, string prefix, string source, PickleBudget budget) : IDisposable
{
    private const long MaxElements = int.MaxValue;
    private readonly Dictionary<string, Tensor> storages = [];
    private readonly Dictionary<object, object?> done = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<object> open = new(ReferenceEqualityComparer.Instance);

    /// <summary>The same graph with every <see cref="TensorReference"/> replaced by a tensor (shared references stay shared).</summary>
    public object? Materialise(object? node, int depth = 0)
    {
        if (node is null || node is not (TensorReference or OrderedDictionary<object, object?> or List<object?> or object?[]
                                                 or StorageReference or PickleGlobal))
            return node;
        if (done.TryGetValue(node, out var made)) return made;
        budget.Depth(depth);
        if (!open.Add(node)) throw new InvalidDataException($"{source}: a container holds itself; a state dict never does.");
        made = node switch
        {
            TensorReference tensor => Read(tensor),
            OrderedDictionary<object, object?> dict => MaterialiseValues(dict, depth + 1),
            List<object?> list => MaterialiseItems(list, depth + 1),
            object?[] tuple => MaterialiseItems(tuple, depth + 1),
            _ => throw new InvalidDataException($"{source}: a bare storage or global is not a value that can be loaded."),
        };
        open.Remove(node);
        done[node] = made;
        return made;
    }

    private OrderedDictionary<object, object?> MaterialiseValues(OrderedDictionary<object, object?> dict, int depth)
    {
        for (int i = 0; i < dict.Count; i++) dict.SetAt(i, Materialise(dict.GetAt(i).Value, depth));
        return dict;
    }

    private TList MaterialiseItems<TList>(TList items, int depth) where TList : IList<object?>
    {
        for (int i = 0; i < items.Count; i++) items[i] = Materialise(items[i], depth);
        return items;
    }

    private Tensor Read(TensorReference t)
    {
        if (!FitsStorage(t))
            throw new InvalidDataException(
                $"{source}: a tensor of shape [{string.Join(", ", t.Shape)}] with stride [{string.Join(", ", t.Stride)}] " +
                $"at offset {t.Offset} does not fit storage {t.Storage.Key} of {t.Storage.Count} elements.");
        var storage = Storage(t.Storage);
        using var view = storage.as_strided(t.Shape, t.Stride, t.Offset);
        if (!view.is_contiguous()) budget.TensorBytes(view.numel() * view.ElementSize, $"a copy of a view of storage data/{t.Storage.Key}");
        return view.contiguous().requires_grad_(t.RequiresGrad); // a contiguous view shares the storage, as PyTorch does
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
        // Before allocating: the declared count against the entry, and the entry against the budget.
        if (reference.Count < 0 || reference.Count > MaxElements || entry.Length != reference.Count * ElementSize(reference.DType))
            throw new InvalidDataException($"{source}: storage data/{reference.Key} holds {entry.Length} bytes, {reference.Count} × {reference.DType} expected.");
        budget.TensorBytes(entry.Length, $"storage data/{reference.Key} ({entry.Length:N0} bytes inflated from {entry.CompressedLength:N0})");
        var storage = empty(reference.Count, reference.DType);
        try
        {
            using var stream = entry.Open();
            stream.ReadExactly(storage.bytes);
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException)
        {
            storage.Dispose();
            throw new InvalidDataException($"{source}: storage data/{reference.Key} ends before its {entry.Length} bytes.", e);
        }
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
