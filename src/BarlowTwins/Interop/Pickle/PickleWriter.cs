using System.Text;
using static TorchSharp.torch;

namespace BarlowTwins.Interop.Pickle;

/// <summary>
/// Writes a state dict as torch.save does (pickle protocol 2): an OrderedDict of
/// torch._utils._rebuild_tensor_v2 calls whose storages are persistent ids into the archive.
/// </summary>
internal sealed class PickleWriter(Stream output)
{
    private readonly BinaryWriter writer = new(output, Encoding.UTF8, leaveOpen: true);

    /// <summary>One entry: its key, the archive key of its (contiguous, own) storage, and the tensor.</summary>
    public readonly record struct Entry(string Key, string StorageKey, Tensor Tensor);

    /// <summary>Writes the whole pickle, from PROTO to STOP.</summary>
    public void WriteStateDict(IEnumerable<Entry> entries)
    {
        writer.Write((byte)0x80);
        writer.Write((byte)2);
        WriteEmptyOrderedDict();
        writer.Write((byte)'(');
        foreach (var entry in entries)
        {
            WriteText(entry.Key);
            WriteTensor(entry.StorageKey, entry.Tensor);
        }
        writer.Write((byte)'u');
        writer.Write((byte)'.');
        writer.Flush();
    }

    private void WriteTensor(string storageKey, Tensor tensor)
    {
        WriteGlobal(TorchPickleGlobals.RebuildTensorV2);
        writer.Write((byte)'(');
        WritePersistentStorage(storageKey, tensor);
        WriteInt(0);
        WriteTuple(tensor.shape);
        WriteTuple(tensor.stride());
        writer.Write((byte)0x89);       // requires_grad=False, as state_dict() detaches
        WriteEmptyOrderedDict();        // backward_hooks
        writer.Write((byte)'t');
        writer.Write((byte)'R');
    }

    private void WritePersistentStorage(string storageKey, Tensor tensor)
    {
        writer.Write((byte)'(');
        WriteText("storage");
        WriteGlobal(new PickleGlobal("torch", TorchPickleGlobals.StorageTypeOf(tensor.dtype)));
        WriteText(storageKey);
        WriteText("cpu");
        WriteInt(tensor.numel());
        writer.Write((byte)'t');
        writer.Write((byte)'Q');
    }

    private void WriteEmptyOrderedDict()
    {
        WriteGlobal(TorchPickleGlobals.OrderedDict);
        writer.Write((byte)')');
        writer.Write((byte)'R');
    }

    private void WriteGlobal(PickleGlobal global)
    {
        writer.Write((byte)'c');
        writer.Write(Encoding.ASCII.GetBytes($"{global.Module}\n{global.Name}\n"));
    }

    private void WriteTuple(long[] values)
    {
        writer.Write((byte)'(');
        foreach (var value in values) WriteInt(value);
        writer.Write((byte)'t');
    }

    private void WriteInt(long value)
    {
        if (value is >= int.MinValue and <= int.MaxValue)
        {
            writer.Write((byte)'J');
            writer.Write((int)value);
            return;
        }
        writer.Write((byte)0x8a);       // LONG1, 8 little-endian bytes
        writer.Write((byte)8);
        writer.Write(value);
    }

    private void WriteText(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        writer.Write((byte)'X');
        writer.Write((uint)bytes.Length);
        writer.Write(bytes);
    }
}
