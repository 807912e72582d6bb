using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace BarlowTwins.Interop;

/// <summary>
/// The safetensors format: an 8-byte little-endian header length, a JSON header
/// ({name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {…}}) padded with spaces
/// to a multiple of 8 bytes, then the tensors' little-endian bytes back to back.
/// </summary>
public static class SafeTensors
{
    private static readonly Dictionary<ScalarType, string> DTypeNames = new()
    {
        [ScalarType.Float32] = "F32",
        [ScalarType.Float16] = "F16",
        [ScalarType.BFloat16] = "BF16",
        [ScalarType.Float64] = "F64",
        [ScalarType.Int64] = "I64",
        [ScalarType.Int32] = "I32",
        [ScalarType.Int16] = "I16",
        [ScalarType.Int8] = "I8",
        [ScalarType.Byte] = "U8",
        [ScalarType.Bool] = "BOOL",
    };

    /// <summary>Writes tensors (in the given order) and optional string metadata.</summary>
    public static void Save(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        using var scope = NewDisposeScope(); // the CPU copies
        var entries = tensors.Select(kv => (kv.Key, Tensor: kv.Value.detach().cpu().contiguous())).ToList();
        var header = new JsonObject();
        if (metadata is { Count: > 0 }) header["__metadata__"] = new JsonObject(metadata.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)));
        long offset = 0;
        foreach (var (key, tensor) in entries)
        {
            long size = tensor.numel() * tensor.ElementSize;
            header[key] = new JsonObject
            {
                ["dtype"] = NameOf(tensor.dtype),
                ["shape"] = new JsonArray(tensor.shape.Select(d => (JsonNode?)d).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + size),
            };
            offset += size;
        }
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padded = (json.Length + 7) / 8 * 8; // the data starts 8-byte aligned
        using var file = File.Create(path);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
        file.Write(length);
        file.Write(json);
        file.Write(Encoding.ASCII.GetBytes(new string(' ', padded - json.Length)));
        foreach (var (_, tensor) in entries) file.Write(tensor.bytes);
    }

    /// <summary>Reads every tensor (CPU, owned by the caller) in file order, and the metadata.</summary>
    public static (Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) Load(string path)
    {
        using var file = File.OpenRead(path);
        Span<byte> length = stackalloc byte[8];
        file.ReadExactly(length);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(length);
        if (headerLength > 100_000_000 || (long)headerLength > file.Length - 8)
            throw new InvalidDataException($"{path}: not a safetensors file (header length {headerLength}).");
        var header = new byte[headerLength];
        file.ReadExactly(header);
        long dataStart = 8 + (long)headerLength;
        var tensors = new Dictionary<string, Tensor>();
        var metadata = new Dictionary<string, string>();
        try
        {
            using var json = JsonDocument.Parse(header);
            var entries = json.RootElement.EnumerateObject().ToList();
            foreach (var entry in entries.Where(e => e.Name == "__metadata__"))
                foreach (var item in entry.Value.EnumerateObject()) metadata[item.Name] = item.Value.GetString() ?? "";
            foreach (var entry in entries.Where(e => e.Name != "__metadata__").OrderBy(e => e.Value.GetProperty("data_offsets")[0].GetInt64()))
                tensors[entry.Name] = ReadTensor(file, dataStart, entry, path);
            return (tensors, metadata);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            foreach (var tensor in tensors.Values) tensor.Dispose();
            throw new InvalidDataException($"{path}: the safetensors header is damaged ({e.Message}).", e);
        }
    }

    private static Tensor ReadTensor(FileStream file, long dataStart, JsonProperty entry, string path)
    {
        var dtypeName = entry.Value.GetProperty("dtype").GetString();
        var dtype = DTypeNames.FirstOrDefault(kv => kv.Value == dtypeName).Key;
        if (dtypeName is null || !DTypeNames.ContainsValue(dtypeName))
            throw new InvalidDataException($"{path}: tensor '{entry.Name}' has dtype {dtypeName}, which is not read.");
        var shape = entry.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
        var offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
        // The header is checked against the file before anything is allocated: a negative or huge
        // dimension is a damaged (or hostile) file, not a request for memory.
        if (shape.FirstOrDefault(d => d < 0) is var negative and < 0)
            throw new InvalidDataException($"{path}: tensor '{entry.Name}' has a negative dimension {negative} in its shape [{string.Join(",", shape)}].");
        long bytes = ByteSize(shape, ElementSize(dtype));
        if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] - offsets[0] != bytes || dataStart + offsets[1] > file.Length)
            throw new InvalidDataException($"{path}: tensor '{entry.Name}' has data offsets that do not match its shape and dtype.");
        var tensor = empty(shape, dtype);
        file.Position = dataStart + offsets[0];
        file.ReadExactly(tensor.bytes);
        return tensor;
    }

    private static long ElementSize(ScalarType dtype)
    {
        using var probe = empty(0, dtype);
        return probe.ElementSize;
    }

    // Bytes of a tensor of this shape; a product beyond any file's size counts as "does not match" (-1).
    private static long ByteSize(long[] shape, long elementSize)
    {
        try
        {
            return shape.Aggregate(elementSize, (product, d) => checked(product * d));
        }
        catch (OverflowException)
        {
            return -1;
        }
    }

    private static string NameOf(ScalarType dtype) =>
        DTypeNames.TryGetValue(dtype, out var name) ? name : throw new NotSupportedException($"safetensors has no dtype for {dtype}.");
}
