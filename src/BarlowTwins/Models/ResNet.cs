using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace BarlowTwins.Models;

/// <summary>How to build a ResNet backbone.</summary>
/// <param name="Architecture">resnet18, resnet34 or resnet50.</param>
/// <param name="InputChannels">1 (grey) or 3 (RGB).</param>
/// <param name="CifarStem">3×3 first convolution and no max-pool, for 28–32 px images.</param>
/// <param name="Width">Channels of the first stage (64 in torchvision); narrower is faster on a CPU.</param>
/// <param name="ZeroInitResidual">Start the last BN γ of every block at 0, as the authors do.</param>
/// <param name="StemStride">Stride of the CIFAR stem's 3×3 convolution: 1 (the usual), or 2 to run every stage at
/// half the side — a quarter of the cost, so twice the width fits the same time. The ImageNet stem is always 7×7
/// stride 2 with a max-pool.</param>
public sealed record ResNetOptions(
    ResNetArchitecture Architecture,
    int InputChannels = 3,
    bool CifarStem = false,
    int Width = 64,
    bool ZeroInitResidual = true,
    int StemStride = 1)
{
    /// <summary>The stem in words, for logs: "CIFAR stem", "CIFAR stem, stride 2" or "ImageNet stem".</summary>
    public string StemDescription => !CifarStem ? "ImageNet stem" : StemStride == 1 ? "CIFAR stem" : $"CIFAR stem, stride {StemStride}";
}

/// <summary>
/// torchvision's ResNet without its classifier: image batch (N × C × H × W) → pooled features
/// (N × <see cref="FeatureDim"/>). Parameter and buffer names equal torchvision's, so state
/// dicts move between the two unchanged (minus <c>fc.*</c>).
/// </summary>
public sealed class ResNet : Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly ReLU relu;
    private readonly Module<Tensor, Tensor> maxpool;
    private readonly Sequential layer1;
    private readonly Sequential layer2;
    private readonly Sequential layer3;
    private readonly Sequential layer4;
    private readonly AdaptiveAvgPool2d avgpool;

    /// <summary>The options this network was built from.</summary>
    public ResNetOptions Options { get; }

    /// <summary>Width of the output features (512 for R18/34, 2048 for R50 at width 64).</summary>
    public int FeatureDim { get; }

    /// <summary>Builds a freshly initialised ResNet (torchvision's initialisation).</summary>
    public ResNet(ResNetOptions options) : base(options.Architecture.Name)
    {
        if (options.InputChannels is not (1 or 3))
            throw new ArgumentException($"InputChannels must be 1 or 3, not {options.InputChannels}.");
        if (options.Width < 1) throw new ArgumentException("Width must be positive.");
        if (options.StemStride is not (1 or 2) || (!options.CifarStem && options.StemStride != 1))
            throw new ArgumentException($"StemStride must be 1 or 2, and 1 without the CIFAR stem; not {options.StemStride}.");
        Options = options;
        var arch = options.Architecture;
        int w = options.Width;
        conv1 = options.CifarStem
            ? Conv2d(options.InputChannels, w, 3, stride: options.StemStride, padding: 1, bias: false)
            : Conv2d(options.InputChannels, w, 7, stride: 2, padding: 3, bias: false);
        bn1 = BatchNorm2d(w);
        relu = ReLU(inplace: true);
        maxpool = options.CifarStem ? Identity() : MaxPool2d(3, stride: 2, padding: 1);
        long inPlanes = w;
        layer1 = Stage(arch, ref inPlanes, w, arch.Blocks[0], 1);
        layer2 = Stage(arch, ref inPlanes, w * 2, arch.Blocks[1], 2);
        layer3 = Stage(arch, ref inPlanes, w * 4, arch.Blocks[2], 2);
        layer4 = Stage(arch, ref inPlanes, w * 8, arch.Blocks[3], 2);
        avgpool = AdaptiveAvgPool2d(1);
        FeatureDim = arch.FeatureDim(w);
        RegisterComponents();
        Initialize(options.ZeroInitResidual);
    }

    private static Sequential Stage(ResNetArchitecture arch, ref long inPlanes, long planes, int blocks, long stride)
    {
        var modules = new List<Module<Tensor, Tensor>>();
        for (int i = 0; i < blocks; i++)
        {
            long s = i == 0 ? stride : 1;
            modules.Add(arch.Bottleneck ? new Bottleneck(inPlanes, planes, s) : new BasicBlock(inPlanes, planes, s));
            inPlanes = planes * arch.Expansion;
        }
        return Sequential(modules);
    }

    private void Initialize(bool zeroInitResidual)
    {
        using var _ = no_grad();
        foreach (var module in modules())
        {
            switch (module)
            {
                case Conv2d conv:
                    init.kaiming_normal_(conv.weight!, mode: init.FanInOut.FanOut, nonlinearity: init.NonlinearityType.ReLU);
                    break;
                case BatchNorm2d bn:
                    init.ones_(bn.weight!);
                    init.zeros_(bn.bias!);
                    break;
            }
        }
        if (!zeroInitResidual) return;
        foreach (var module in modules())
        {
            var last = module switch { BasicBlock b => b.LastNorm, Bottleneck b => b.LastNorm, _ => null };
            if (last is not null) init.zeros_(last.weight!);
        }
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = maxpool.forward(relu.forward(bn1.forward(conv1.forward(x))));
        y = layer4.forward(layer3.forward(layer2.forward(layer1.forward(y))));
        return avgpool.forward(y).flatten(1).MoveToOuterDisposeScope();
    }
}
