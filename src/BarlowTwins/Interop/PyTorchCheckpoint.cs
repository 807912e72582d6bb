using System.IO.Compression;
using System.Text;
using BarlowTwins.Interop.Pickle;
using static TorchSharp.torch;

namespace BarlowTwins.Interop;

/// <summary>
/// PyTorch's checkpoint format since 1.6 (what torch.save writes): a zip holding data.pkl,
/// a pickle of the object, and one entry per tensor storage (data/0, data/1, …).
/// Reading uses a restricted unpickler: only tensors and plain containers are accepted.
/// </summary>
public static class PyTorchCheckpoint
{
    /// <summary>
    /// Reads the object a torch.save file holds. Tensors become CPU <see cref="Tensor"/>s (owned by the
    /// caller), dicts and OrderedDicts <c>OrderedDictionary&lt;object, object?&gt;</c>, lists
    /// <c>List&lt;object?&gt;</c>, tuples <c>object?[]</c>, numbers <c>long</c>/<c>double</c>/<c>bool</c>.
    /// </summary>
    /// <exception cref="UnsafePickleException">The pickle names anything but tensors and plain containers.</exception>
    /// <exception cref="InvalidDataException">The file is damaged, or would make the loader build more than a file of its
    /// size holds (<see cref="PickleBudget"/>: a hostile file is refused before it can exhaust memory).</exception>
    public static object? Load(string path)
    {
        using var zip = OpenArchive(path);
        var pickle = zip.Entries.FirstOrDefault(e => e.FullName.EndsWith("data.pkl", StringComparison.Ordinal) && e.FullName.Count(c => c == '/') == 1)
                     ?? throw new InvalidDataException($"{path}: no data.pkl inside; not a torch.save checkpoint.");
        string prefix = pickle.FullName[..^"data.pkl".Length];
        CheckByteOrder(zip, prefix, path);
        long fileBytes = new FileInfo(path).Length;
        PickleBudget.CheckPickleSize(path, fileBytes, pickle.Length);
        var budget = new PickleBudget(path, fileBytes, pickle.Length);
        using var storages = new StorageReader(zip, prefix, path, budget);
        return storages.Materialise(PickleReader.Read(ReadAll(pickle, path), path, budget));
    }

    /// <summary>Writes a state dict (keys in the given order) as torch.save would; tensors are copied to the CPU.</summary>
    public static void Save(string path, IEnumerable<KeyValuePair<string, Tensor>> stateDict)
    {
        using var scope = NewDisposeScope(); // the CPU copies
        var entries = stateDict.Select((kv, i) => new PickleWriter.Entry(kv.Key, i.ToString(), kv.Value.detach().cpu().contiguous())).ToList();
        using var file = File.Create(path);
        using var zip = new ZipArchive(file, ZipArchiveMode.Create);
        const string prefix = "archive/";
        using (var pickle = zip.CreateEntry(prefix + "data.pkl", CompressionLevel.NoCompression).Open())
            new PickleWriter(pickle).WriteStateDict(entries);
        WriteText(zip, prefix + "byteorder", "little");
        foreach (var entry in entries)
        {
            using var data = zip.CreateEntry(prefix + "data/" + entry.StorageKey, CompressionLevel.NoCompression).Open();
            data.Write(entry.Tensor.bytes);
        }
        WriteText(zip, prefix + "version", "3\n");
    }

    private static ZipArchive OpenArchive(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Checkpoint not found: {path}", path);
        var stream = File.OpenRead(path);
        try
        {
            return new ZipArchive(stream, ZipArchiveMode.Read);
        }
        catch (InvalidDataException)
        {
            stream.Dispose();
            throw new InvalidDataException(
                $"{path}: not a zip archive. Checkpoints saved by PyTorch before 1.6 (or with " +
                "_use_new_zipfile_serialization=False) are not read; load and re-save them with torch.save in PyTorch ≥ 1.6.");
        }
    }

    private static void CheckByteOrder(ZipArchive zip, string prefix, string path)
    {
        var entry = zip.GetEntry(prefix + "byteorder");
        if (entry is null) return; // before PyTorch 2.1 the byte order was not recorded: little-endian
        using var reader = new StreamReader(entry.Open());
        var order = reader.ReadToEnd().Trim();
        if (order != "little") throw new InvalidDataException($"{path}: storages are {order}-endian; only little-endian is read.");
    }

    // Exactly the entry's declared length (checked against the budget), however far a damaged stream would inflate.
    private static MemoryStream ReadAll(ZipArchiveEntry entry, string path)
    {
        var bytes = new byte[entry.Length];
        try
        {
            using var stream = entry.Open();
            stream.ReadExactly(bytes);
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException)
        {
            throw new InvalidDataException($"{path}: {entry.FullName} ends before its {entry.Length} bytes.", e);
        }
        return new MemoryStream(bytes, writable: false);
    }

    private static void WriteText(ZipArchive zip, string name, string text)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
        stream.Write(Encoding.ASCII.GetBytes(text));
    }
}
