using static TorchSharp.torch;

namespace BarlowTwins.Optim;

/// <summary>What the trainer needs of an optimizer: two learning rates, a step, and its state.</summary>
public interface IOptimizer : IDisposable
{
    /// <summary>Sets the rates for the weight group and the bias/BN group for the next step.</summary>
    void SetLearningRates(double weights, double biases);

    /// <summary>Applies one update from the gradients currently held by the parameters.</summary>
    void Step();

    /// <summary>Clears the parameters' gradients.</summary>
    void ZeroGrad();

    /// <summary>State tensors (momentum and the like) by name, for checkpoints.</summary>
    IReadOnlyDictionary<string, Tensor> State();

    /// <summary>Restores state written by <see cref="State"/>.</summary>
    void LoadState(IReadOnlyDictionary<string, Tensor> state);
}
