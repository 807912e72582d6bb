using static TorchSharp.torch;

namespace BarlowTwins.Distributed;

/// <summary>
/// The few collective operations data-parallel training needs, over the processes ("ranks") of
/// one run. Every rank must call the same operations in the same order with tensors of the same
/// shape and type. Tensors may live on any device and have any floating type; they are staged
/// through contiguous CPU memory when the transport needs it.
/// </summary>
public interface ICollectives : IDisposable
{
    /// <summary>This process's index, 0 … <see cref="Size"/> − 1.</summary>
    int Rank { get; }

    /// <summary>Number of processes in the run (K).</summary>
    int Size { get; }

    /// <summary>Number of processes of this run on this machine (to share its cores among them).</summary>
    int LocalSize { get; }

    /// <summary>True on rank 0, the one process that writes checkpoints and logs.</summary>
    bool IsRoot => Rank == 0;

    /// <summary>Replaces <paramref name="tensor"/> by the element-wise sum of every rank's tensor.</summary>
    void AllReduceSum(Tensor tensor);

    /// <summary>Overwrites <paramref name="tensor"/> on every rank with its value on rank <paramref name="root"/>.</summary>
    void Broadcast(Tensor tensor, int root = 0);

    /// <summary>Returns once every rank has called it.</summary>
    void Barrier();

    /// <summary>
    /// Ends every rank of the run with <paramref name="exitCode"/> after a failure on this one, so
    /// the others do not wait forever in a collective. Does nothing on a single process (the
    /// caller's exception then ends it as usual).
    /// </summary>
    void Abort(int exitCode) { }
}
