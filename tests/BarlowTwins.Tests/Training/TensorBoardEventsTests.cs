using System.Buffers.Binary;
using System.Text;
using BarlowTwins.Tests.Support;
using BarlowTwins.Training.Output;

namespace BarlowTwins.Tests.Training;

public sealed class TensorBoardEventsTests
{
    // The CRC-32C check value from the iSCSI specification (RFC 3720, B.4): crc32c("123456789").
    [Fact]
    public void Crc32CMatchesTheStandardCheckValue() =>
        Assert.Equal(0xE3069283u, TensorBoardEvents.Crc32C("123456789"u8));

    [Fact]
    public void RecordsAreFramedWithValidMaskedChecksums()
    {
        using var temp = new TempFolder();
        string directory = temp.Path;
        string path;
        using (var events = new TensorBoardEvents(directory))
        {
            events.Scalars(42, [("loss/total", 1.5)]);
            path = events.Path;
        }
        var records = ReadRecords(File.ReadAllBytes(path));
        Assert.Equal(2, records.Count);
        Assert.Contains("brain.Event:2", Encoding.UTF8.GetString(records[0]));
        var scalar = records[1];
        Assert.Contains("loss/total", Encoding.UTF8.GetString(scalar));
        // step is field 2, a varint: key 0x10 then 42.
        Assert.True(scalar.AsSpan().IndexOf(new byte[] { 0x10, 42 }) >= 0);
        // simple_value is field 2 of Summary.Value, fixed32: key 0x15 then 1.5f little-endian.
        var value = new byte[5];
        value[0] = 0x15;
        BinaryPrimitives.WriteSingleLittleEndian(value.AsSpan(1), 1.5f);
        Assert.True(scalar.AsSpan().IndexOf(value) >= 0);
    }

    private static List<byte[]> ReadRecords(byte[] file)
    {
        var records = new List<byte[]>();
        for (int at = 0; at < file.Length;)
        {
            var length = file.AsSpan(at, 8);
            Assert.Equal(TensorBoardEvents.MaskedCrc32C(length), BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at + 8)));
            int n = (int)BinaryPrimitives.ReadUInt64LittleEndian(length);
            var data = file.AsSpan(at + 12, n).ToArray();
            Assert.Equal(TensorBoardEvents.MaskedCrc32C(data), BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at + 12 + n)));
            records.Add(data);
            at += 12 + n + 4;
        }
        return records;
    }
}
