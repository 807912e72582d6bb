namespace BarlowTwins.Interop.Pickle;

/// <summary>
/// How much one torch.save file may make the loader build, so that a small hostile file cannot
/// exhaust memory: a few hundred bytes of memo references can describe 2^40 list copies, a
/// kilobyte of stride-0 view can claim 8 GB, a deflated entry can inflate a thousandfold. Every
/// limit follows the input: a genuine pickle pushes at most one value and adds at most one memo
/// entry per byte (each takes an opcode), fills containers with about one element per byte, and
/// a genuine file holds its tensors' bytes (torch.save stores them uncompressed). Absolute caps
/// keep the managed objects of a large pickle to a few tens of megabytes; genuine state dicts —
/// some tens of values per tensor, so the caps leave room for about 20 000 tensors — stay far below them. Exceeding a limit is one line
/// (<see cref="InvalidDataException"/>) before the memory is spent.
/// </summary>
internal sealed class PickleBudget
{
    /// <summary>Values a pickle may push (objects built, memo recalls, DUPs), at most one per byte of it.</summary>
    public const long MaxValues = 500_000;

    /// <summary>Elements all containers together may receive (copies included), at most two per byte of the pickle.</summary>
    public const long MaxContainerElements = 1_000_000;

    /// <summary>Memo entries a pickle may store, at most one per byte of it.</summary>
    public const long MaxMemoEntries = 500_000;

    /// <summary>How deeply containers may nest (checkpoint → model → tensors is three).</summary>
    public const int MaxDepth = 100;

    private readonly string _source;
    private readonly long _fileBytes;
    private readonly long _maxValues, _maxElements, _maxMemo, _maxTensorBytes;
    private long _values, _elements, _memo, _tensorBytes;

    /// <summary>The budget of a file of <paramref name="fileBytes"/> whose pickle holds <paramref name="pickleBytes"/>.</summary>
    /// <param name="source">Names the file in error messages.</param>
    /// <param name="fileBytes">Size of the whole file on disk.</param>
    /// <param name="pickleBytes">Size of its pickle (data.pkl), uncompressed.</param>
    public PickleBudget(string source, long fileBytes, long pickleBytes)
    {
        _source = source;
        _fileBytes = fileBytes;
        _maxValues = Math.Min(MaxValues, pickleBytes);
        _maxElements = Math.Min(MaxContainerElements, 2 * pickleBytes + 1024);
        _maxMemo = Math.Min(MaxMemoEntries, pickleBytes);
        // Storages as stored, plus a contiguous copy of each non-contiguous view of them.
        _maxTensorBytes = 2 * fileBytes;
    }

    /// <summary>A pickle of <paramref name="pickleBytes"/> (uncompressed) inside this file: at most the file's own size.</summary>
    public static void CheckPickleSize(string source, long fileBytes, long pickleBytes)
    {
        if (pickleBytes > fileBytes)
            throw Refused(source, $"its data.pkl inflates to {pickleBytes:N0} bytes, more than the whole file ({fileBytes:N0} bytes); " +
                                  "torch.save stores it uncompressed");
    }

    /// <summary>One value pushed on the unpickler's stack.</summary>
    public void Value()
    {
        if (++_values > _maxValues) throw Over($"builds more than {_maxValues:N0} values");
    }

    /// <summary><paramref name="count"/> elements put into a list, tuple or dict.</summary>
    public void Elements(long count)
    {
        if ((_elements += count) > _maxElements) throw Over($"puts more than {_maxElements:N0} elements into containers");
    }

    /// <summary>One new memo entry.</summary>
    public void MemoEntry()
    {
        if (++_memo > _maxMemo) throw Over($"stores more than {_maxMemo:N0} memo entries");
    }

    /// <summary>Containers nested <paramref name="depth"/> levels deep.</summary>
    public void Depth(int depth)
    {
        if (depth > MaxDepth) throw Refused(_source, $"containers nest more than {MaxDepth} levels deep; a state dict nests a few");
    }

    /// <summary><paramref name="bytes"/> of tensor memory about to be allocated for <paramref name="what"/>.</summary>
    public void TensorBytes(long bytes, string what)
    {
        if (bytes < 0 || (_tensorBytes += bytes) > _maxTensorBytes)
            throw Refused(_source, $"{what} would take the tensors it holds past {_maxTensorBytes:N0} bytes, " +
                                   $"twice the file's {_fileBytes:N0}; a torch.save file holds its tensors' bytes");
    }

    private InvalidDataException Over(string what) =>
        Refused(_source, $"the pickle {what}, more than a file of its size needs");

    private static InvalidDataException Refused(string source, string why) =>
        new($"{source}: refused: {why} (a hostile or damaged file); nothing was loaded.");
}
