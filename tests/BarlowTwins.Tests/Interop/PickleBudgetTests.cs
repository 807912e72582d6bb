using System.IO.Compression;
using BarlowTwins.Interop;
using BarlowTwins.Interop.Pickle;
using static BarlowTwins.Tests.Interop.PickleOps;

namespace BarlowTwins.Tests.Interop;

/// <summary>
/// Small hostile files that would make a naive loader build gigabytes are refused with one line,
/// before the memory is spent (Interop/Pickle/PickleBudget). One test per class of attack; each
/// builds its file here. scripts/hostile-import-rss.sh measures the peak memory of the same classes.
/// </summary>
public class PickleBudgetTests : TempFolderTest
{
    private const int Pairs = 1000;

    private InvalidDataException Refused(byte[] pickle, byte[]? storage = null, CompressionLevel compression = CompressionLevel.NoCompression)
    {
        var error = Assert.Throws<InvalidDataException>(() => PyTorchCheckpoint.Load(Archive(Folder, pickle, storage, compression)));
        Assert.DoesNotContain('\n', error.Message);
        return error;
    }

    [Fact]
    public void SharedContainersAreBuiltOnceNotOncePerPath()
    {
        // a "billion laughs": each list holds the one before twice; 2^40 paths in under a kilobyte
        const int levels = 40;
        var pickle = Pickle(w =>
        {
            Ops(w, 0x80, 2, EmptyDict); Text(w, "x");
            Ops(w, EmptyList); Put(w, 0); Ops(w, Pop);
            for (uint level = 1; level <= levels; level++)
            {
                Ops(w, Mark); Get(w, level - 1); Get(w, level - 1); Ops(w, List); Put(w, level); Ops(w, Pop);
            }
            Get(w, levels); Ops(w, SetItem, Stop);
        });
        var root = (OrderedDictionary<object, object?>)PyTorchCheckpoint.Load(Archive(Folder, pickle))!;
        var top = (List<object?>)root["x"]!;
        Assert.Same(top[0], top[1]);
        var bottom = top;
        for (int level = 0; level < levels; level++) bottom = (List<object?>)bottom[0]!;
        Assert.Empty(bottom);
    }

    [Fact]
    public void AContainerThatHoldsItselfIsRefused()
    {
        var pickle = Pickle(w => { Ops(w, 0x80, 2, EmptyList); Put(w, 0); Get(w, 0); Ops(w, Append, Stop); });
        Assert.Contains("holds itself", Refused(pickle).Message);
    }

    [Fact]
    public void RepeatedCopiesOfOneListAreCountedAsContainerElements()
    {
        // OrderedDict(pairs) called again and again on one memoised list: elements grow as pairs × calls
        var pickle = Pickle(w =>
        {
            Ops(w, 0x80, 2); Global4(w, "collections", "OrderedDict"); Put(w, 0); Ops(w, Pop);
            Ops(w, EmptyList, Mark);
            for (int i = 0; i < Pairs; i++) { Int(w, i); Ops(w, None, Tuple2); }
            Ops(w, Appends, Tuple1); Put(w, 1); Ops(w, Pop);
            Ops(w, EmptyList, Mark);
            for (int i = 0; i < Pairs; i++) { Get(w, 0); Get(w, 1); Ops(w, Reduce); }
            Ops(w, Appends, Stop);
        });
        Assert.Contains("elements into containers", Refused(pickle).Message);
    }

    [Fact]
    public void MoreValuesThanTheCapAreRefused()
    {
        long count = PickleBudget.MaxValues + 1;
        var pickle = Pickle(w => { Ops(w, 0x80, 2, Mark); for (long i = 0; i < count; i++) Ops(w, EmptyList); Ops(w, List, Stop); });
        Assert.Contains("values", Refused(pickle).Message);
    }

    [Fact]
    public void MoreMemoEntriesThanTheCapAreRefused()
    {
        long count = PickleBudget.MaxMemoEntries + 1;
        var pickle = Pickle(w => { Ops(w, 0x80, 4, None); for (long i = 0; i < count; i++) Ops(w, Memoize); Ops(w, Stop); });
        Assert.Contains("memo entries", Refused(pickle).Message);
    }

    [Fact]
    public void AStringLongerThanWhatIsLeftIsRefused()
    {
        var pickle = Pickle(w => { Ops(w, 0x80, 4, 0x8d); w.Write(1L << 40); Ops(w, Stop); }); // BINUNICODE8 of a terabyte
        Assert.Contains("truncated", Refused(pickle).Message);
    }

    [Fact]
    public void AStrideZeroViewLargerThanTheFileIsRefused()
    {
        // one float seen as 2^28 floats: a 1 GB copy from a file of a few hundred bytes
        var pickle = Pickle(w => { Ops(w, 0x80, 2, EmptyDict); Text(w, "w"); Tensor(w, 1, [1L << 28], [0]); Ops(w, SetItem, Stop); });
        Assert.Contains("twice the file", Refused(pickle, storage: new byte[4]).Message);
    }

    [Fact]
    public void ManyCopiesOfOneStorageAreRefused()
    {
        // a 64 KB storage seen transposed by 64 separate tensors: 4 MB of copies from a 70 KB file
        const int side = 128;
        var pickle = Pickle(w =>
        {
            Ops(w, 0x80, 2); Global4(w, "torch._utils", "_rebuild_tensor_v2"); Put(w, 0); Ops(w, Pop);
            TensorArguments(w, side * side, [side, side], [1, side]); Put(w, 1); Ops(w, Pop);
            Ops(w, EmptyDict, Mark);
            for (int i = 0; i < 64; i++) { Text(w, $"t{i}"); Get(w, 0); Get(w, 1); Ops(w, Reduce); }
            Ops(w, SetItems, Stop);
        });
        Assert.Contains("twice the file", Refused(pickle, storage: new byte[4 * side * side]).Message);
    }

    [Fact]
    public void ADeflatedStorageLargerThanTheFileIsRefusedBeforeAllocating()
    {
        const int floats = 4 << 20; // 16 MB of zeros deflate to a few kilobytes
        var pickle = Pickle(w => { Ops(w, 0x80, 2, EmptyDict); Text(w, "w"); Tensor(w, floats, [floats], [1]); Ops(w, SetItem, Stop); });
        var error = Refused(pickle, storage: new byte[4 * floats], compression: CompressionLevel.Optimal);
        Assert.Contains("storage data/0", error.Message);
    }

    [Fact]
    public void ADeflatedPickleLargerThanTheFileIsRefusedBeforeReadingIt()
    {
        var pickle = Pickle(w => { Ops(w, 0x80, 2); for (int i = 0; i < 1 << 20; i++) Ops(w, None, Pop); Ops(w, EmptyDict, Stop); });
        Assert.Contains("data.pkl inflates", Refused(pickle, compression: CompressionLevel.Optimal).Message);
    }
}
