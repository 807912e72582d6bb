using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace BarlowTwins.Evaluation;

/// <summary>The evaluation head: one linear layer, weights N(0, 0.01), bias 0 (the authors' init).</summary>
internal static class LinearClassifier
{
    public static Linear Create(long features, int classes, int seed, Device device)
    {
        var head = Linear(features, classes);
        using (no_grad())
        {
            using var generator = new Generator((ulong)seed);
            // init.normal_ in TorchSharp 0.107 ignores its generator: draw with randn instead.
            using var weights = randn(head.weight!.shape, generator: generator);
            head.weight!.copy_(weights.mul_(0.01));
            init.zeros_(head.bias!);
        }
        return head.to(device);
    }
}
