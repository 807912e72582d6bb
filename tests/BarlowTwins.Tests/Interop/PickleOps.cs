using System.IO.Compression;
using System.Text;

namespace BarlowTwins.Tests.Interop;

/// <summary>Pickles written opcode by opcode, as an attacker would, and the torch.save zip around them.</summary>
internal static class PickleOps
{
    public const byte Mark = (byte)'(', Stop = (byte)'.', Pop = (byte)'0', None = (byte)'N', EmptyList = (byte)']',
                      EmptyDict = (byte)'}', Append = (byte)'a', Appends = (byte)'e', List = (byte)'l', SetItem = (byte)'s',
                      SetItems = (byte)'u', Reduce = (byte)'R', Memoize = 0x94, Tuple1 = 0x85, Tuple2 = 0x86;

    /// <summary>The bytes <paramref name="write"/> writes.</summary>
    public static byte[] Pickle(Action<BinaryWriter> write)
    {
        using var memory = new MemoryStream();
        using (var writer = new BinaryWriter(memory, Encoding.UTF8, leaveOpen: true)) write(writer);
        return memory.ToArray();
    }

    public static void Ops(BinaryWriter w, params byte[] codes) => w.Write(codes);

    /// <summary>BINUNICODE.</summary>
    public static void Text(BinaryWriter w, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        w.Write((byte)'X'); w.Write((uint)bytes.Length); w.Write(bytes);
    }

    /// <summary>LONG1 of 8 bytes.</summary>
    public static void Long(BinaryWriter w, long value)
    {
        w.Write((byte)0x8a); w.Write((byte)8); w.Write(value);
    }

    /// <summary>BININT.</summary>
    public static void Int(BinaryWriter w, int value)
    {
        w.Write((byte)'J'); w.Write(value);
    }

    /// <summary>LONG_BINPUT.</summary>
    public static void Put(BinaryWriter w, uint index)
    {
        w.Write((byte)'r'); w.Write(index);
    }

    /// <summary>LONG_BINGET.</summary>
    public static void Get(BinaryWriter w, uint index)
    {
        w.Write((byte)'j'); w.Write(index);
    }

    /// <summary>STACK_GLOBAL of module.name.</summary>
    public static void Global4(BinaryWriter w, string module, string name)
    {
        Text(w, module);
        Text(w, name);
        w.Write((byte)0x93);
    }

    /// <summary>The argument tuple of _rebuild_tensor_v2: a float tensor viewing storage "0" of <paramref name="storageCount"/> elements.</summary>
    public static void TensorArguments(BinaryWriter w, long storageCount, long[] size, long[] stride)
    {
        w.Write(Mark);
        w.Write(Mark); Text(w, "storage"); Global4(w, "torch", "FloatStorage"); Text(w, "0"); Text(w, "cpu"); Long(w, storageCount); w.Write((byte)'t');
        w.Write((byte)'Q');                                       // BINPERSID
        Long(w, 0);
        w.Write(Mark); foreach (var s in size) Long(w, s); w.Write((byte)'t');
        w.Write(Mark); foreach (var s in stride) Long(w, s); w.Write((byte)'t');
        w.Write((byte)0x89); w.Write(EmptyDict);
        w.Write((byte)'t');
    }

    /// <summary>_rebuild_tensor_v2((storage, FloatStorage, "0", "cpu", storageCount), 0, size, stride, False, {}).</summary>
    public static void Tensor(BinaryWriter w, long storageCount, long[] size, long[] stride)
    {
        Global4(w, "torch._utils", "_rebuild_tensor_v2");
        TensorArguments(w, storageCount, size, stride);
        w.Write(Reduce);
    }

    /// <summary>A torch.save-style zip in <paramref name="folder"/>: archive/data.pkl, optionally archive/data/0, archive/version.</summary>
    public static string Archive(string folder, byte[] pickle, byte[]? storage = null, CompressionLevel compression = CompressionLevel.NoCompression)
    {
        var path = Path.Combine(folder, $"{Guid.NewGuid():N}.pth");
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        using (var entry = zip.CreateEntry("archive/data.pkl", compression).Open()) entry.Write(pickle);
        if (storage is not null)
            using (var entry = zip.CreateEntry("archive/data/0", compression).Open()) entry.Write(storage);
        using (var version = zip.CreateEntry("archive/version").Open()) version.Write("3\n"u8);
        return path;
    }
}
