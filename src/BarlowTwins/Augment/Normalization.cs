using BarlowTwins.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace BarlowTwins.Augment;

/// <summary>Output channels and the per-channel mean and std subtracted and divided at the end.</summary>
public sealed record Normalization
{
    /// <summary>Checks that <paramref name="mean"/> and <paramref name="std"/> have one positive-std value per channel.</summary>
    public Normalization(int channels, float[] mean, float[] std)
    {
        if (channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(channels), channels, "channels must be 1 or 3");
        if (mean.Length != channels || std.Length != channels || std.Any(s => !(s > 0)))
            throw new ArgumentException($"need {channels} mean and {channels} positive std values, got {mean.Length} and {std.Length}");
        Channels = channels;
        Mean = mean;
        Std = std;
    }

    /// <summary>1 or 3.</summary>
    public int Channels { get; }

    /// <summary>Per-channel mean.</summary>
    public float[] Mean { get; }

    /// <summary>Per-channel standard deviation.</summary>
    public float[] Std { get; }

    /// <summary>(x − mean) / std per channel of an N × C × H × W batch.</summary>
    public Tensor Apply(Tensor images) => Photometric.Normalize(images, Mean, Std);

    /// <summary>The rendered batch, clamped to [0, 1] and normalised, with its labels.</summary>
    internal LabelledBatch Finish(ImageBuffer buffer, IReadOnlyList<ImageSample> images, Device device)
    {
        using var scope = NewDisposeScope();
        var normalised = Apply(buffer.ToTensor(device).clamp(0, 1));
        return new LabelledBatch(normalised.MoveToOuterDisposeScope(), BatchLabels.Of(images, device).MoveToOuterDisposeScope());
    }
}
