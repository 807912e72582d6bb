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
            Global4(w, "torch._utils", "_rebuild_tensor_v2");
            w.Write((byte)'(');
            w.Write((byte)'('); Text(w, "storage"); Global4(w, "torch", "FloatStorage"); Text(w, "0"); Text(w, "cpu"); w.Write((byte)'K'); w.Write((byte)4); w.Write((byte)'t');
            w.Write((byte)'Q');                                   // BINPERSID
            w.Write((byte)'K'); w.Write((byte)0);
            w.Write((byte)'K'); w.Write((byte)4); w.Write((byte)0x85);
            w.Write((byte)'K'); w.Write((byte)1); w.Write((byte)0x85);
            w.Write((byte)0x89); w.Write((byte)'}');
            w.Write((byte)'t'); w.Write((byte)'R');
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

    private string Archive(byte[] pickle)
    {
        var path = Path.Combine(Folder, $"{Guid.NewGuid():N}.pth");
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        using (var entry = zip.CreateEntry("archive/data.pkl").Open()) entry.Write(pickle);
        using (var version = zip.CreateEntry("archive/version").Open()) version.Write("3\n"u8);
        return path;
    }
}
