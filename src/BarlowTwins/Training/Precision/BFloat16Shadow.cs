using BarlowTwins.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace BarlowTwins.Training.Precision;

/// <summary>
/// Mixed precision without autocast (TorchSharp has none): a bfloat16 copy of the twin runs the
/// forward and backward passes, while the float32 "master" twin owns the weights the optimizer
/// updates. Each step copies master weights in, and gradients and BN running statistics out
/// (as float32), so nothing accumulates in bfloat16 across steps. The loss stays float32:
/// <see cref="Loss.BarlowTwinsLoss"/> casts the embeddings.
/// </summary>
internal sealed class BFloat16Shadow : IDisposable
{
    private readonly TwinNetwork _master;
    private readonly (Tensor Master, Tensor Shadow)[] _parameters;
    private readonly (Tensor Master, Tensor Shadow)[] _buffers;

    /// <summary>The bfloat16 network to run forward and backward.</summary>
    public TwinNetwork Network { get; }

    /// <summary>Builds the shadow from a freshly built twin of the same shape as <paramref name="master"/>.</summary>
    public BFloat16Shadow(TwinNetwork master, TwinNetwork blank)
    {
        _master = master;
        Network = blank;
        Network.to(ScalarType.BFloat16);
        _parameters = Pair(master.named_parameters().Select(p => ((string, Tensor))p), Network.named_parameters().Select(p => ((string, Tensor))p));
        _buffers = Pair(master.named_buffers(), Network.named_buffers());
    }

    private static (Tensor Master, Tensor Shadow)[] Pair(IEnumerable<(string Name, Tensor T)> master, IEnumerable<(string Name, Tensor T)> shadow)
    {
        var byName = shadow.ToDictionary(p => p.Name, p => p.T);
        return master.Select(p => (p.T, byName[p.Name])).ToArray();
    }

    /// <summary>Copies the master's weights and BN statistics into the shadow; clears its gradients.</summary>
    public void PullWeights()
    {
        using var _ = no_grad();
        foreach (var (master, shadow) in _parameters)
        {
            shadow.copy_(master);
            shadow.grad?.zero_();
        }
        foreach (var (master, shadow) in _buffers) shadow.copy_(master);
        Network.train(_master.training);
    }

    /// <summary>Gives the master the shadow's gradients, in float32.</summary>
    public void PushGradients()
    {
        foreach (var (master, shadow) in _parameters)
        {
            using var grad = shadow.grad;
            if (grad is null) continue;
            using var existing = master.grad;
            if (existing is null) master.grad = grad.to(master.dtype);
            else existing.copy_(grad);
        }
    }

    /// <summary>Gives the master the BN running statistics the shadow's forward pass updated.</summary>
    public void PushBuffers()
    {
        using var _ = no_grad();
        foreach (var (master, shadow) in _buffers) master.copy_(shadow);
    }

    /// <inheritdoc />
    public void Dispose() => Network.Dispose();
}
