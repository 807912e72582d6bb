using static TorchSharp.torch;

namespace BarlowTwins.Training;

/// <summary>
/// Finds NaN and ±Inf in a state: the step's guard sees only the loss and the gradient, so an
/// update that overflows, or batch-norm statistics of huge activations, can still leave them in
/// the weights. A checkpoint holding them would be a dead end for every resume.
/// </summary>
public static class FiniteTensors
{
    /// <summary>The name of the first tensor holding NaN or ±Inf, or null when all are finite.</summary>
    public static string? FirstNonFinite(IEnumerable<(string Name, Tensor Tensor)> tensors)
    {
        foreach (var (name, tensor) in tensors)
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            if (tensor.is_floating_point() && !isfinite(tensor).all().item<bool>()) return name;
        }
        return null;
    }
}
