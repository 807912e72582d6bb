namespace BarlowTwins.Interop.Pickle;

/// <summary>
/// What the allowed globals mean: each call builds a description record, never a live object.
/// </summary>
internal static class TorchObjects
{
    /// <summary>torch.save's persistent id: ('storage', torch.XStorage, key, location, count).</summary>
    public static StorageReference PersistentLoad(object? pid)
    {
        if (pid is not object?[] { Length: 5 } t || t[0] is not "storage" || t[1] is not PickleGlobal type
            || t[2] is not string key || t[4] is not long count
            || !TorchPickleGlobals.StorageTypes.TryGetValue(type.Name, out var dtype))
            throw new UnsafePickleException("The pickle uses a persistent id that is not a PyTorch storage; nothing was executed.");
        return new StorageReference(key, dtype, count);
    }

    /// <summary>REDUCE: calls one of the allowed globals on its argument tuple; what it copies is charged to <paramref name="budget"/>.</summary>
    public static object Call(object? callable, object? args, PickleBudget budget)
    {
        if (callable is not PickleGlobal global || args is not object?[] a)
            throw new UnsafePickleException("The pickle calls something that is not an allowed global; nothing was executed.");
        if (global == TorchPickleGlobals.OrderedDict) return NewOrderedDict(a, budget);
        if (global == TorchPickleGlobals.RebuildTensorV2) return RebuildTensor(a, budget);
        if (global == TorchPickleGlobals.RebuildParameter && a is [TensorReference data, bool requiresGrad, ..])
            return data with { RequiresGrad = requiresGrad };
        throw new UnsafePickleException($"The pickle calls {global} with arguments it does not take; nothing was executed.");
    }

    /// <summary>BUILD: only the attributes torch attaches to an OrderedDict (its _metadata), which are dropped.</summary>
    public static void Build(object? target, object? state)
    {
        if (target is OrderedDictionary<object, object?> && state is OrderedDictionary<object, object?>) return;
        throw new UnsafePickleException("The pickle sets the state of an object other than a dict; nothing was executed.");
    }

    private static OrderedDictionary<object, object?> NewOrderedDict(object?[] args, PickleBudget budget)
    {
        var dict = new OrderedDictionary<object, object?>();
        if (args is []) return dict;
        if (args is not [List<object?> pairs])
            throw new UnsafePickleException("The pickle builds an OrderedDict from something other than a list of pairs.");
        budget.Elements(pairs.Count);
        foreach (var pair in pairs)
            if (pair is object?[] { Length: 2 } kv && kv[0] is { } key) dict[key] = kv[1];
            else throw new UnsafePickleException("The pickle builds an OrderedDict from something other than a list of pairs.");
        return dict;
    }

    // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
    private static TensorReference RebuildTensor(object?[] a, PickleBudget budget)
    {
        if (a.Length < 6 || a[0] is not StorageReference storage || a[1] is not long offset
            || a[2] is not object?[] size || a[3] is not object?[] stride || a[4] is not bool requiresGrad)
            throw new UnsafePickleException("The pickle calls torch._utils._rebuild_tensor_v2 with unexpected arguments.");
        budget.Elements(size.Length + stride.Length);
        return new TensorReference(storage, offset, Longs(size), Longs(stride), requiresGrad);
    }

    private static long[] Longs(object?[] values) =>
        values.Select(v => v as long? ?? throw new UnsafePickleException("A tensor's size or stride is not a tuple of integers.")).ToArray();
}
