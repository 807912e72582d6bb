using TorchSharp;
using static TorchSharp.torch;

namespace BarlowTwins.Augment;

/// <summary>A batch of planar float images being rendered, one slice per image, then one tensor.</summary>
internal sealed class ImageBuffer(int count, int channels, int size)
{
    private readonly float[] _data = new float[(long)count * channels * size * size];

    /// <summary>Floats per image.</summary>
    public int ImageLength { get; } = channels * size * size;

    /// <summary>The slice image <paramref name="index"/> is rendered into.</summary>
    public Span<float> Image(int index) => _data.AsSpan(index * ImageLength, ImageLength);

    /// <summary>The batch as an N × C × H × W tensor on <paramref name="device"/>.</summary>
    public Tensor ToTensor(Device device)
    {
        var cpu = tensor(_data, [count, channels, size, size]);
        return device.type == DeviceType.CPU ? cpu : cpu.to(device);
    }
}
