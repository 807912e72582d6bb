using BarlowTwins.Models;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace BarlowTwins.Evaluation;

/// <summary>
/// Feeds images with one channel count to a backbone built for another, for transfer between
/// grey and colour datasets. Grey → RGB repeats the channel three times (what torchvision's
/// Grayscale(3) does); RGB → grey takes the ITU-R 601 luma 0.299 R + 0.587 G + 0.114 B. Both act
/// on the normalised tensors, so the backbone sees the target dataset's normalisation, not its own.
/// </summary>
public sealed class ChannelAdapter : Module<Tensor, Tensor>
{
    private static readonly float[] LumaWeights = [0.299f, 0.587f, 0.114f];
    private readonly ResNet backbone;
    private readonly int _dataChannels;
    private readonly int _backboneChannels;

    private ChannelAdapter(ResNet backbone, int dataChannels, int backboneChannels) : base("channel_adapter")
    {
        this.backbone = backbone;
        _dataChannels = dataChannels;
        _backboneChannels = backboneChannels;
        RegisterComponents();
    }

    /// <summary>
    /// <paramref name="backbone"/> itself when it already takes <paramref name="dataChannels"/>
    /// channels, else the backbone behind an adapter.
    /// </summary>
    public static Module<Tensor, Tensor> ForData(ResNet backbone, int dataChannels)
    {
        int expected = backbone.Options.InputChannels;
        if (dataChannels == expected) return backbone;
        if (dataChannels is not (1 or 3))
            throw new ArgumentException($"Only 1- and 3-channel images can be adapted; the data has {dataChannels}.");
        return new ChannelAdapter(backbone, dataChannels, expected);
    }

    /// <summary>The backbone behind the adapter.</summary>
    internal ResNet Backbone => backbone;

    /// <summary>The same adaptation in front of <paramref name="other"/> (a copy of the backbone, e.g. in bfloat16).</summary>
    internal ChannelAdapter With(ResNet other) => new(other, _dataChannels, _backboneChannels);

    /// <summary>How inputs are adapted, for reports ("none" when no adapter is needed).</summary>
    public static string Describe(int backboneChannels, int dataChannels) => (dataChannels, backboneChannels) switch
    {
        var (d, b) when d == b => "none",
        (1, 3) => "grey → RGB by repeating the channel",
        (3, 1) => "RGB → grey by luma 0.299 R + 0.587 G + 0.114 B",
        _ => $"{dataChannels} → {backboneChannels} channels",
    };

    /// <inheritdoc />
    public override Tensor forward(Tensor images)
    {
        if (images.shape[1] != _dataChannels)
            throw new ArgumentException($"Expected {_dataChannels}-channel images, got {images.shape[1]} channels.");
        using var scope = NewDisposeScope();
        var adapted = _dataChannels == 1
            ? images.expand(-1, _backboneChannels, -1, -1)
            : (images * tensor(LumaWeights, device: images.device).view(1, 3, 1, 1)).sum(1, keepdim: true);
        return backbone.forward(adapted.to_type(images.dtype)).MoveToOuterDisposeScope();
    }
}
