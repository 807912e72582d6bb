using System.Text;
using System.Text.RegularExpressions;
using static TorchSharp.torch;

namespace BarlowTwins.Interop;

/// <summary>NumPy .npy files (format 1.0–3.0, C order, little-endian) to and from tensors.</summary>
public static partial class Npy
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    private static readonly Dictionary<string, ScalarType> TypeOfDescr = new()
    {
        ["<f4"] = ScalarType.Float32,
        ["<f8"] = ScalarType.Float64,
        ["<f2"] = ScalarType.Float16,
        ["|u1"] = ScalarType.Byte,
        ["|i1"] = ScalarType.Int8,
        ["<i2"] = ScalarType.Int16,
        ["<i4"] = ScalarType.Int32,
        ["<i8"] = ScalarType.Int64,
        ["|b1"] = ScalarType.Bool,
    };

    /// <summary>Reads a .npy file into a CPU tensor of the same dtype and shape.</summary>
    public static Tensor Load(string path)
    {
        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    /// <summary>Reads a .npy stream; <paramref name="name"/> is used in error messages.</summary>
    public static Tensor Read(Stream stream, string name = "stream")
    {
        using var reader = new BinaryReader(stream, Encoding.Latin1, leaveOpen: true);
        if (!reader.ReadBytes(6).SequenceEqual(Magic)) throw new InvalidDataException($"{name}: not a .npy file.");
        byte major = reader.ReadByte();
        reader.ReadByte();
        int headerLength = major == 1 ? reader.ReadUInt16() : (int)reader.ReadUInt32();
        var header = Encoding.Latin1.GetString(reader.ReadBytes(headerLength));
        var descr = DescrPattern().Match(header).Groups[1].Value;
        if (FortranPattern().IsMatch(header)) throw new InvalidDataException($"{name}: Fortran-order arrays are not supported.");
        if (!TypeOfDescr.TryGetValue(descr, out var dtype)) throw new InvalidDataException($"{name}: unsupported dtype '{descr}'.");
        var shapeText = ShapePattern().Match(header).Groups[1].Value;
        long[] shape = shapeText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                                .Select(long.Parse).ToArray();
        long count = shape.Aggregate(1L, (a, b) => a * b);
        var tensor = empty(shape, dtype);
        var bytes = tensor.bytes;
        int elementSize = (int)(bytes.Length / Math.Max(count, 1));
        var data = reader.ReadBytes((int)(count * elementSize));
        if (data.Length != count * elementSize) throw new InvalidDataException($"{name}: truncated data.");
        tensor.bytes = data;
        return tensor;
    }

    /// <summary>Writes a tensor (any device, contiguous copy taken) as a .npy file.</summary>
    public static void Save(Tensor tensor, string path)
    {
        using var stream = File.Create(path);
        Write(tensor, stream);
    }

    /// <summary>Writes a tensor as .npy to a stream.</summary>
    public static void Write(Tensor tensor, Stream stream)
    {
        using var cpu = tensor.detach().cpu().contiguous();
        var descr = TypeOfDescr.First(kv => kv.Value == cpu.dtype).Key;
        var shape = cpu.shape.Length == 1 ? $"({cpu.shape[0]},)" : $"({string.Join(", ", cpu.shape)})";
        var header = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}";
        int total = Magic.Length + 4 + header.Length + 1;
        header = header.PadRight(header.Length + (64 - total % 64) % 64) + "\n";
        using var writer = new BinaryWriter(stream, Encoding.Latin1, leaveOpen: true);
        writer.Write(Magic);
        writer.Write((byte)1);
        writer.Write((byte)0);
        writer.Write((ushort)header.Length);
        writer.Write(Encoding.Latin1.GetBytes(header));
        writer.Write(cpu.bytes);
    }

    [GeneratedRegex(@"'descr':\s*'([^']+)'")] private static partial Regex DescrPattern();
    [GeneratedRegex(@"'fortran_order':\s*True")] private static partial Regex FortranPattern();
    [GeneratedRegex(@"'shape':\s*\(([^)]*)\)")] private static partial Regex ShapePattern();
}
