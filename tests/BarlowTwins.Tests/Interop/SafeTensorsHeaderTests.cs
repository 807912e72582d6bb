using System.Buffers.Binary;
using System.Text;
using BarlowTwins.Interop;

namespace BarlowTwins.Tests.Interop;

/// <summary>A damaged or hostile .safetensors header is refused with one sentence before anything is allocated.</summary>
public sealed class SafeTensorsHeaderTests : TempFolderTest
{
    private string FileWithHeader(string json, int dataBytes = 16)
    {
        var header = Encoding.UTF8.GetBytes(json);
        var bytes = new byte[8 + header.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        string path = Path.Combine(Folder, "hostile.safetensors");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Theory]
    [InlineData("[-1,4]", "negative dimension -1")]
    [InlineData("[4,-4]", "negative dimension -4")]
    [InlineData("[1000000000000]", "data offsets that do not match")]
    [InlineData("[4611686018427387904,4]", "data offsets that do not match")] // the product overflows a long
    public void ABadShapeIsInvalidData(string shape, string message)
    {
        string path = FileWithHeader($$$"""{"w":{"dtype":"F32","shape":{{{shape}}},"data_offsets":[0,16]}}""");
        var error = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path));
        Assert.Contains(message, error.Message);
        Assert.Contains(path, error.Message);
    }

    [Theory]
    [InlineData("""{"w":{"dtype":"F32","shape":[4]}}""")]
    [InlineData("""{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]""")]
    [InlineData("""{"w":{"dtype":"F32","shape":"four","data_offsets":[0,16]}}""")]
    public void AMalformedHeaderIsInvalidData(string json)
    {
        string path = FileWithHeader(json);
        var error = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path));
        Assert.Contains("header is damaged", error.Message);
    }
}
