using static TorchSharp.torch;

namespace BarlowTwins.Distributed;

/// <summary>A run of one process: every collective is the identity.</summary>
public sealed class SingleProcess : ICollectives
{
    /// <inheritdoc />
    public int Rank => 0;

    /// <inheritdoc />
    public int Size => 1;

    /// <inheritdoc />
    public int LocalSize => 1;

    /// <inheritdoc />
    public void AllReduceSum(Tensor tensor) { }

    /// <inheritdoc />
    public void Broadcast(Tensor tensor, int root = 0)
    {
        if (root != 0) throw new ArgumentOutOfRangeException(nameof(root), root, "A single process has only rank 0.");
    }

    /// <inheritdoc />
    public void Barrier() { }

    /// <inheritdoc />
    public void Dispose() { }
}
