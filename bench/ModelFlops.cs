using BarlowTwins.Models;

namespace BarlowTwins.Bench;

/// <summary>
/// Floating-point operations of a Barlow Twins step, counted analytically from the shapes:
/// multiply-accumulates of every convolution and linear layer (batch norm, ReLU, pooling and
/// additions are left out, as is usual), 2 FLOP per MAC, ×3 for forward + backward, two views,
/// plus the loss's ≈ 6·N·D².
/// </summary>
public static class ModelFlops
{
    /// <summary>FLOP of one training step of <paramref name="shape"/>.</summary>
    public static double Step(StepShape shape)
    {
        var options = new ResNetOptions(ResNetArchitecture.Parse(shape.Backbone), 3, shape.CifarStem);
        double macsPerView = BackboneMacs(options, shape.Size) + ProjectorMacs(options.Architecture.FeatureDim(), shape.Projector);
        return 6 * macsPerView * 2 * shape.Batch + Loss(shape.Batch, shape.EmbeddingDim);
    }

    /// <summary>The loss forward + backward: C = aᵀb (2·N·D²) and the two gradient products (4·N·D²).</summary>
    public static double Loss(long n, long d) => 6.0 * n * d * d;

    /// <summary>Multiply-accumulates of the backbone's forward pass for one image of side <paramref name="size"/>.</summary>
    public static double BackboneMacs(ResNetOptions options, int size) => ConvLayers(options, size).Sum(layer => layer.Macs);

    /// <summary>Every convolution of the backbone in forward order, for one image of side <paramref name="size"/>.</summary>
    public static IReadOnlyList<ConvLayer> ConvLayers(ResNetOptions options, int size)
    {
        var layers = new List<ConvLayer>();
        long w = options.Width, side = size;
        if (options.CifarStem) side = Add(layers, side, options.InputChannels, w, 3, options.StemStride, 1);
        else side = Output(Add(layers, side, options.InputChannels, w, 7, 2, 3), 3, 2, 1); // then the max-pool
        long inPlanes = w;
        for (int stage = 0; stage < 4; stage++)
            for (int block = 0; block < options.Architecture.Blocks[stage]; block++)
                side = Block(layers, options.Architecture, side, ref inPlanes, w << stage, block == 0 && stage > 0 ? 2 : 1);
        return layers;
    }

    private static long Block(List<ConvLayer> layers, ResNetArchitecture arch, long side, ref long inPlanes, long planes, long stride)
    {
        long outPlanes = planes * arch.Expansion, input = side;
        if (arch.Bottleneck)
        {
            side = Add(layers, side, inPlanes, planes, 1, 1, 0);
            side = Add(layers, side, planes, planes, 3, stride, 1);
            side = Add(layers, side, planes, outPlanes, 1, 1, 0);
        }
        else
        {
            side = Add(layers, side, inPlanes, planes, 3, stride, 1);
            side = Add(layers, side, planes, planes, 3, 1, 1);
        }
        if (stride != 1 || inPlanes != outPlanes) Add(layers, input, inPlanes, outPlanes, 1, stride, 0);
        inPlanes = outPlanes;
        return side;
    }

    private static double ProjectorMacs(int inputDim, string projector)
    {
        double macs = 0;
        long width = inputDim;
        foreach (int next in ProjectorSpec.Parse(projector).Widths)
        {
            macs += (double)width * next;
            width = next;
        }
        return macs;
    }

    private static long Add(List<ConvLayer> layers, long side, long inChannels, long outChannels, long kernel, long stride, long padding)
    {
        layers.Add(new ConvLayer(inChannels, outChannels, kernel, stride, padding, side));
        return layers[^1].OutputSide;
    }

    internal static long Output(long side, long kernel, long stride, long padding) => (side + 2 * padding - kernel) / stride + 1;
}

/// <summary>One convolution of a backbone: its geometry and the side of the image it reads.</summary>
public sealed record ConvLayer(long InChannels, long OutChannels, long Kernel, long Stride, long Padding, long InputSide)
{
    /// <summary>Side of its output.</summary>
    public long OutputSide => ModelFlops.Output(InputSide, Kernel, Stride, Padding);

    /// <summary>Multiply-accumulates of its forward pass for one image.</summary>
    public double Macs => (double)OutputSide * OutputSide * InChannels * OutChannels * Kernel * Kernel;

    /// <inheritdoc />
    public override string ToString() => $"{InChannels}→{OutChannels} {Kernel}×{Kernel}/{Stride} at {InputSide} px";
}
