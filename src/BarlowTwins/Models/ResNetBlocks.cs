using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace BarlowTwins.Models;

/// <summary>Shared pieces of torchvision's residual blocks.</summary>
internal static class ResNetLayers
{
    public static Conv2d Conv3x3(long inPlanes, long outPlanes, long stride = 1) =>
        Conv2d(inPlanes, outPlanes, 3, stride: stride, padding: 1, bias: false);

    public static Conv2d Conv1x1(long inPlanes, long outPlanes, long stride = 1) =>
        Conv2d(inPlanes, outPlanes, 1, stride: stride, bias: false);

    /// <summary>torchvision's shortcut: 1×1 conv with stride, then BN, named "0" and "1".</summary>
    public static Sequential? Downsample(long inPlanes, long outPlanes, long stride) =>
        stride == 1 && inPlanes == outPlanes
            ? null
            : Sequential(("0", Conv1x1(inPlanes, outPlanes, stride)), ("1", BatchNorm2d(outPlanes)));

    /// <summary>
    /// The forward of <paramref name="downsample"/> (null: none): its 1×1 convolution and BN, with a
    /// stride computed as "keep every s-th pixel, then a stride-1 1×1 convolution". That is the same
    /// arithmetic (a 1×1 kernel with no padding reads exactly those pixels), but libtorch's strided
    /// 1×1 kernel is several times slower here (docs/performance.md has the timings). The module
    /// and its state dict stay torchvision's.
    /// </summary>
    public static Func<Tensor, Tensor>? Shortcut(Sequential? downsample)
    {
        if (downsample is null) return null;
        var parts = downsample.named_children().ToDictionary(c => c.name, c => c.module);
        var conv = (Conv2d)parts["0"];
        var norm = (BatchNorm2d)parts["1"];
        long stride = conv.stride[0];
        if (stride == 1) return x => norm.forward(conv.forward(x));
        return x => norm.forward(StridedPointwise(x, conv.weight!, stride)); // weight read per call: it may be replaced (dtype, device)
    }

    /// <summary>A 1×1 convolution without padding at <paramref name="stride"/>, as "keep every s-th pixel, then stride 1".</summary>
    public static Tensor StridedPointwise(Tensor x, Tensor weight, long stride)
    {
        var sampled = x[.., .., TensorIndex.Slice(0, null, stride), TensorIndex.Slice(0, null, stride)];
        // A dense copy is faster still; a channels-last input keeps its layout (a strided view).
        if (x.is_contiguous()) sampled = sampled.contiguous();
        return functional.conv2d(sampled, weight);
    }
}

/// <summary>Two 3×3 convolutions with a residual connection (ResNet-18/34).</summary>
internal sealed class BasicBlock : Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly ReLU relu;
    private readonly Conv2d conv2;
    internal readonly BatchNorm2d bn2;
    private readonly Sequential? downsample;
    private readonly Func<Tensor, Tensor>? shortcut;

    public BasicBlock(long inPlanes, long planes, long stride) : base(nameof(BasicBlock))
    {
        conv1 = ResNetLayers.Conv3x3(inPlanes, planes, stride);
        bn1 = BatchNorm2d(planes);
        relu = ReLU(inplace: true);
        conv2 = ResNetLayers.Conv3x3(planes, planes);
        bn2 = BatchNorm2d(planes);
        downsample = ResNetLayers.Downsample(inPlanes, planes, stride);
        shortcut = ResNetLayers.Shortcut(downsample);
        RegisterComponents();
    }

    /// <summary>The BN whose γ starts at zero with zero_init_residual.</summary>
    public BatchNorm2d LastNorm => bn2;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var identity = shortcut is null ? x : shortcut(x);
        var y = relu.forward(bn1.forward(conv1.forward(x)));
        y = bn2.forward(conv2.forward(y));
        return relu.forward(y.add_(identity)).MoveToOuterDisposeScope();
    }
}

/// <summary>1×1 reduce, 3×3 (carries the stride, as torchvision's "ResNet v1.5"), 1×1 expand ×4.</summary>
internal sealed class Bottleneck : Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly Conv2d conv3;
    private readonly BatchNorm2d bn3;
    private readonly ReLU relu;
    private readonly Sequential? downsample;
    private readonly Func<Tensor, Tensor>? shortcut;

    public Bottleneck(long inPlanes, long planes, long stride) : base(nameof(Bottleneck))
    {
        conv1 = ResNetLayers.Conv1x1(inPlanes, planes);
        bn1 = BatchNorm2d(planes);
        conv2 = ResNetLayers.Conv3x3(planes, planes, stride);
        bn2 = BatchNorm2d(planes);
        conv3 = ResNetLayers.Conv1x1(planes, planes * 4);
        bn3 = BatchNorm2d(planes * 4);
        relu = ReLU(inplace: true);
        downsample = ResNetLayers.Downsample(inPlanes, planes * 4, stride);
        shortcut = ResNetLayers.Shortcut(downsample);
        RegisterComponents();
    }

    /// <summary>The BN whose γ starts at zero with zero_init_residual.</summary>
    public BatchNorm2d LastNorm => bn3;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var identity = shortcut is null ? x : shortcut(x);
        var y = relu.forward(bn1.forward(conv1.forward(x)));
        y = relu.forward(bn2.forward(conv2.forward(y)));
        y = bn3.forward(conv3.forward(y));
        return relu.forward(y.add_(identity)).MoveToOuterDisposeScope();
    }
}
