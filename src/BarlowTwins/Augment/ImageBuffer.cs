using TorchSharp;
using static TorchSharp.torch;

namespace BarlowTwins.Augment;

/// <summary>A batch of planar float images being rendered, one slice per image, then one tensor.</summary>
internal sealed class ImageBuffer(int count, int channels, int size)
{
    // Every float is rendered before it is read, so the array need not be zeroed first.
    private readonly float[] _data = GC.AllocateUninitializedArray<float>(count * channels * size * size);

    /// <summary>Floats per image.</summary>
    public int ImageLength { get; } = channels * size * size;

    /// <summary>The slice image <paramref name="index"/> is rendered into.</summary>
    public Span<float> Image(int index) => _data.AsSpan(index * ImageLength, ImageLength);

    /// <summary>
    /// The batch as an N × C × H × W tensor on <paramref name="device"/>. On CPU it shares this
    /// buffer's array (pinned while the tensor lives) instead of copying it; the buffer is not
    /// written after this.
    /// </summary>
    public Tensor ToTensor(Device device)
    {
        using var flat = from_array(_data, ScalarType.Float32);
        var cpu = flat.view(count, channels, size, size);
        return device.type == DeviceType.CPU ? cpu : cpu.to(device);
    }
}
