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
    public static double BackboneMacs(ResNetOptions options, int size)
    {
        long w = options.Width, side = size;
        double macs;
        if (options.CifarStem) macs = Conv(ref side, options.InputChannels, w, 3, 1, 1);
        else
        {
            macs = Conv(ref side, options.InputChannels, w, 7, 2, 3);
            side = Output(side, 3, 2, 1); // max-pool
        }
        long inPlanes = w;
        for (int stage = 0; stage < 4; stage++)
            for (int block = 0; block < options.Architecture.Blocks[stage]; block++)
                macs += Block(options.Architecture, ref side, ref inPlanes, w << stage, block == 0 && stage > 0 ? 2 : 1);
        return macs;
    }

    private static double Block(ResNetArchitecture arch, ref long side, ref long inPlanes, long planes, long stride)
    {
        long outPlanes = planes * arch.Expansion, input = side;
        double macs;
        if (arch.Bottleneck)
        {
            macs = Conv(ref side, inPlanes, planes, 1, 1, 0);
            macs += Conv(ref side, planes, planes, 3, stride, 1);
            macs += Conv(ref side, planes, outPlanes, 1, 1, 0);
        }
        else
        {
            macs = Conv(ref side, inPlanes, planes, 3, stride, 1);
            macs += Conv(ref side, planes, planes, 3, 1, 1);
        }
        if (stride != 1 || inPlanes != outPlanes) macs += Conv(ref input, inPlanes, outPlanes, 1, stride, 0);
        inPlanes = outPlanes;
        return macs;
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

    private static double Conv(ref long side, long inChannels, long outChannels, long kernel, long stride, long padding)
    {
        side = Output(side, kernel, stride, padding);
        return (double)side * side * inChannels * outChannels * kernel * kernel;
    }

    private static long Output(long side, long kernel, long stride, long padding) => (side + 2 * padding - kernel) / stride + 1;
}
