using BarlowTwins.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BarlowTwins.Tests.Interop;

/// <summary>
/// ResNets whose every weight matters: random BN γ/β (none zero-initialised) and running
/// statistics calibrated on a batch, so eval-mode features are O(1) and a wrong or missing
/// layer changes them visibly. As in trained networks, the last BN of each residual branch
/// has a small γ (0.1–0.4), which keeps the residual stream from growing with depth.
/// </summary>
internal static class TestBackbones
{
    public static ResNet Create(string architecture, int channels, bool cifarStem, int width = 64, int size = 32, int seed = 0,
                                int stemStride = 1)
    {
        manual_seed(seed);
        var net = new ResNet(new ResNetOptions(ResNetArchitecture.Parse(architecture), channels, cifarStem, width, ZeroInitResidual: false,
                                                   StemStride: stemStride));
        var lastNorms = LastNorms(net);
        using (no_grad())
        {
            foreach (var bn in net.modules().OfType<BatchNorm2d>())
            {
                bn.weight!.uniform_(0.5, 1.5);
                if (lastNorms.Contains(bn)) bn.weight!.uniform_(0.1, 0.4);
                bn.bias!.normal_(0, 0.2);
                bn.momentum = 1.0; // the calibration batch's statistics become the running ones
            }
            net.train();
            using var calibration = randn(4, channels, size, size);
            net.forward(calibration).Dispose();
            foreach (var bn in net.modules().OfType<BatchNorm2d>()) bn.momentum = 0.1;
        }
        net.eval();
        return net;
    }

    private static HashSet<BatchNorm2d> LastNorms(ResNet net) =>
        net.modules().Select(m => m switch { BasicBlock b => b.LastNorm, Bottleneck b => b.LastNorm, _ => null }).OfType<BatchNorm2d>().ToHashSet();
}
