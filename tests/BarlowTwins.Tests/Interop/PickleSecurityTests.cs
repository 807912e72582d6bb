using System.IO.Compression;
using System.Text;
using BarlowTwins.Interop;

namespace BarlowTwins.Tests.Interop;

/// <summary>
/// The restricted unpickler refuses every global but tensors, storages and OrderedDict, before
/// reading any tensor data. Each pickle here is hand-built, as an attacker would.
/// </summary>
public class PickleSecurityTests : TempFolderTest
{
    [Fact]
    public void PyTorchLoadRefusesOsSystemBeforeAnythingRuns()
    {
        var marker = Path.Combine(Folder, "pwned");
        // protocol 2: posix.system("touch marker"), the classic malicious checkpoint
        var pickle = Pickle(w =>
        {
            w.Write((byte)0x80); w.Write((byte)2);
            w.Write(Encoding.ASCII.GetBytes("cposix\nsystem\n"));
            Text(w, $"touch {marker}");
            w.Write((byte)0x85);               // TUPLE1
            w.Write((byte)'R');                // REDUCE
            w.Write((byte)'.');
        });
        var error = Assert.Throws<UnsafePickleException>(() => PyTorchCheckpoint.Load(Archive(pickle)));
        Assert.Contains("posix.system", error.Message);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public void PyTorchLoadRefusesEvalNamedThroughStackGlobalAfterAValidTensor()
    {
        // protocol 4: a genuine tensor entry first (its storage is absent from the archive, so
        // reading any tensor data would fail differently), then builtins.eval via STACK_GLOBAL.
        var pickle = Pickle(w =>
        {
            w.Write((byte)0x80); w.Write((byte)4);
            w.Write((byte)'}');                                   // EMPTY_DICT
            Text(w, "weight");
            Tensor(w, storageCount: 4, size: 4, stride: 1);
            w.Write((byte)'s');                                   // SETITEM
            Text(w, "payload");
            Global4(w, "builtins", "eval");
            Text(w, "__import__('os').system('true')");
            w.Write((byte)0x85); w.Write((byte)'R'); w.Write((byte)'s');
            w.Write((byte)'.');
        });
        var error = Assert.Throws<UnsafePickleException>(() => PyTorchCheckpoint.Load(Archive(pickle)));
        Assert.Contains("builtins.eval", error.Message);
    }

    [Theory]
    [InlineData("torch.nn.modules.conv", "Conv2d")]  // a whole pickled module: classes are refused too
    [InlineData("numpy.core.multiarray", "_reconstruct")]
    [InlineData("torch", "load")]
    public void PyTorchLoadRefusesAnyOtherGlobal(string module, string name)
    {
        var pickle = Pickle(w =>
        {
            w.Write((byte)0x80); w.Write((byte)2);
            w.Write(Encoding.ASCII.GetBytes($"c{module}\n{name}\n"));
            w.Write((byte)')'); w.Write((byte)'R'); w.Write((byte)'.');
        });
        var error = Assert.Throws<UnsafePickleException>(() => PyTorchCheckpoint.Load(Archive(pickle)));
        Assert.Contains($"{module}.{name}", error.Message);
    }

    [Theory]
    [InlineData((byte)0x81)] // NEWOBJ
    [InlineData((byte)'i')]  // INST
    [InlineData((byte)'o')]  // OBJ
    [InlineData((byte)0x82)] // EXT1
    public void PyTorchLoadRefusesObjectBuildingOpcodes(byte opcode)
    {
        var pickle = Pickle(w => { w.Write((byte)0x80); w.Write((byte)2); w.Write((byte)')'); w.Write(opcode); w.Write((byte)'.'); });
        Assert.Throws<UnsafePickleException>(() => PyTorchCheckpoint.Load(Archive(pickle)));
    }

    [Fact]
    public void PyTorchLoadRefusesDeepNestingInsteadOfOverflowingTheStack()
    {
        const int depth = 100_000;
        var pickle = Pickle(w =>
        {
            w.Write((byte)0x80); w.Write((byte)2);
            for (int i = 0; i < depth; i++) w.Write((byte)']');     // EMPTY_LIST
            for (int i = 1; i < depth; i++) w.Write((byte)'a');     // APPEND each into the one below
            w.Write((byte)'.');
        });
        var error = Assert.Throws<InvalidDataException>(() => PyTorchCheckpoint.Load(Archive(pickle)));
        Assert.Contains("nest", error.Message);
    }

    [Theory]
    [InlineData(1L << 40, 4, 1)]          // a storage of 4 TB claimed by a 16-byte entry
    [InlineData(4L, 1L << 40, 0)]         // a stride-0 view of 2^40 elements
    [InlineData(4L, 5, 1)]                // a view past the end of its storage
    public void PyTorchLoadRefusesTensorsThatDoNotFitTheirStorage(long storageCount, long size, long stride)
    {
        var pickle = Pickle(w =>
        {
            w.Write((byte)0x80); w.Write((byte)2);
            Tensor(w, storageCount, size, stride);
            w.Write((byte)'.');
        });
        var error = Assert.Throws<InvalidDataException>(() => PyTorchCheckpoint.Load(Archive(pickle, storage: new byte[16])));
        Assert.Contains("storage", error.Message);
    }

    // _rebuild_tensor_v2((storage, FloatStorage, "0", "cpu", storageCount), 0, (size,), (stride,), False, {})
    private static void Tensor(BinaryWriter w, long storageCount, long size, long stride)
    {
        Global4(w, "torch._utils", "_rebuild_tensor_v2");
        w.Write((byte)'(');
        w.Write((byte)'('); Text(w, "storage"); Global4(w, "torch", "FloatStorage"); Text(w, "0"); Text(w, "cpu"); Long(w, storageCount); w.Write((byte)'t');
        w.Write((byte)'Q');                                       // BINPERSID
        Long(w, 0);
        Long(w, size); w.Write((byte)0x85);
        Long(w, stride); w.Write((byte)0x85);
        w.Write((byte)0x89); w.Write((byte)'}');
        w.Write((byte)'t'); w.Write((byte)'R');
    }

    private static void Long(BinaryWriter w, long value)
    {
        w.Write((byte)0x8a); w.Write((byte)8); w.Write(value);   // LONG1
    }

    private static byte[] Pickle(Action<BinaryWriter> write)
    {
        using var memory = new MemoryStream();
        using (var writer = new BinaryWriter(memory, Encoding.UTF8, leaveOpen: true)) write(writer);
        return memory.ToArray();
    }

    private static void Text(BinaryWriter w, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        w.Write((byte)'X'); w.Write((uint)bytes.Length); w.Write(bytes);
    }

    private static void Global4(BinaryWriter w, string module, string name)
    {
        Text(w, module);
        Text(w, name);
        w.Write((byte)0x93);
    }

    private string Archive(byte[] pickle, byte[]? storage = null)
    {
        var path = Path.Combine(Folder, $"{Guid.NewGuid():N}.pth");
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        using (var entry = zip.CreateEntry("archive/data.pkl").Open()) entry.Write(pickle);
        if (storage is not null)
            using (var entry = zip.CreateEntry("archive/data/0").Open()) entry.Write(storage);
        using (var version = zip.CreateEntry("archive/version").Open()) version.Write("3\n"u8);
        return path;
    }
}
