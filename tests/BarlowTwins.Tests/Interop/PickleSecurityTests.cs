using System.Text;
using BarlowTwins.Interop;
using static BarlowTwins.Tests.Interop.PickleOps;

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
        var error = Assert.Throws<UnsafePickleException>(() => PyTorchCheckpoint.Load(Archive(Folder, pickle)));
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
            Tensor(w, storageCount: 4, size: [4], stride: [1]);
            w.Write((byte)'s');                                   // SETITEM
            Text(w, "payload");
            Global4(w, "builtins", "eval");
            Text(w, "__import__('os').system('true')");
            w.Write((byte)0x85); w.Write((byte)'R'); w.Write((byte)'s');
            w.Write((byte)'.');
        });
        var error = Assert.Throws<UnsafePickleException>(() => PyTorchCheckpoint.Load(Archive(Folder, pickle)));
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
        var error = Assert.Throws<UnsafePickleException>(() => PyTorchCheckpoint.Load(Archive(Folder, pickle)));
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
        Assert.Throws<UnsafePickleException>(() => PyTorchCheckpoint.Load(Archive(Folder, pickle)));
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
        var error = Assert.Throws<InvalidDataException>(() => PyTorchCheckpoint.Load(Archive(Folder, pickle)));
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
            Tensor(w, storageCount, [size], [stride]);
            w.Write((byte)'.');
        });
        var error = Assert.Throws<InvalidDataException>(() => PyTorchCheckpoint.Load(Archive(Folder, pickle, storage: new byte[16])));
        Assert.Contains("storage", error.Message);
    }
}
