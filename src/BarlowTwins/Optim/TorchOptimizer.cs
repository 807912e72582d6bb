using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BarlowTwins.Optim;

/// <summary>
/// TorchSharp's SGD or AdamW behind <see cref="IOptimizer"/>, with the same two parameter groups as
/// LARS: weights (weight decay on) and biases/BN parameters (weight decay off), each with its own rate.
/// </summary>
public sealed class TorchOptimizer : IOptimizer
{
    private const string StateKey = "torchsharp.state";
    private readonly OptimizerHelper _inner;
    private readonly TorchSharp.torch.optim.ILearningRateController[] _groups;

    private TorchOptimizer(OptimizerHelper inner)
    {
        _inner = inner;
        _groups = inner.ParamGroups.ToArray();
    }

    /// <summary>SGD with heavy-ball momentum (no Nesterov); weight decay on weights only.</summary>
    public static TorchOptimizer Sgd(ParameterGroups groups, double momentum = 0.9, double weightDecay = 1.5e-6) =>
        new(new SGD([
            new SGD.ParamGroup(groups.Weights, lr: 0, momentum: momentum, weight_decay: weightDecay),
            new SGD.ParamGroup(groups.Biases, lr: 0, momentum: momentum, weight_decay: 0),
        ], lr: 0, momentum: momentum));

    /// <summary>AdamW (decoupled weight decay on weights only).</summary>
    public static TorchOptimizer AdamW(ParameterGroups groups, double beta1 = 0.9, double beta2 = 0.999, double weightDecay = 0.05) =>
        new(new AdamW([
            new AdamW.ParamGroup(groups.Weights, lr: 0, beta1: beta1, beta2: beta2, weight_decay: weightDecay),
            new AdamW.ParamGroup(groups.Biases, lr: 0, beta1: beta1, beta2: beta2, weight_decay: 0),
        ], lr: 0, beta1: beta1, beta2: beta2));

    /// <inheritdoc />
    public void SetLearningRates(double weights, double biases)
    {
        _groups[0].LearningRate = weights;
        _groups[1].LearningRate = biases;
    }

    /// <inheritdoc />
    public void Step()
    {
        using var scope = NewDisposeScope();
        _inner.step();
    }

    /// <inheritdoc />
    public void ZeroGrad() => _inner.zero_grad();

    // TorchSharp keeps its state in typed objects, not tensors; its own binary form travels as one
    // byte tensor so a checkpoint stores every optimizer the same way.
    /// <inheritdoc />
    public IReadOnlyDictionary<string, Tensor> State()
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
            _inner.save_state_dict(writer);
        return new Dictionary<string, Tensor> { [StateKey] = tensor(buffer.ToArray(), dtype: ScalarType.Byte) };
    }

    /// <inheritdoc />
    public void LoadState(IReadOnlyDictionary<string, Tensor> state)
    {
        if (!state.TryGetValue(StateKey, out var saved))
            throw new InvalidDataException($"Optimizer state has no '{StateKey}' entry: it was written by another optimizer.");
        using var reader = new BinaryReader(new MemoryStream(saved.bytes.ToArray()));
        _inner.load_state_dict(reader);
    }

    /// <inheritdoc />
    public void Dispose() => _inner.Dispose();
}
