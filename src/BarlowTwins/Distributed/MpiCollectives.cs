using TorchSharp;
using static TorchSharp.torch;

namespace BarlowTwins.Distributed;

/// <summary>
/// Collectives over MPI (MPICH), one rank per process started by <c>mpiexec</c>. Reductions are
/// done in place on contiguous CPU float32/float64 memory; other tensors are staged through a
/// CPU copy. MPI is initialised by <see cref="Initialize"/> and finalised by <see cref="Dispose"/>:
/// once each per process.
/// </summary>
public sealed class MpiCollectives : ICollectives
{
    // MPI counts are ints: long tensors go in pieces.
    private const int MaxCount = 1 << 30;
    private readonly MpiNative _mpi;
    private bool _disposed;

    /// <inheritdoc />
    public int Rank { get; }

    /// <inheritdoc />
    public int Size { get; }

    /// <inheritdoc />
    public int LocalSize { get; }

    private MpiCollectives(MpiNative mpi, int rank, int size, int localSize) =>
        (_mpi, Rank, Size, LocalSize) = (mpi, rank, size, localSize);

    /// <summary>Initialises MPI for this process (thread level SERIALIZED: any thread, one at a time).</summary>
    public static MpiCollectives Initialize()
    {
        var mpi = MpiNative.Load();
        MpiNative.Check(mpi.Initialized(out var already), "MPI_Initialized");
        if (already != 0)
            throw new InvalidOperationException("MPI is already initialised in this process: create MpiCollectives once and share it.");
        MpiNative.Check(mpi.InitThread(IntPtr.Zero, IntPtr.Zero, MpiNative.ThreadSerialized, out var provided), "MPI_Init_thread");
        if (provided < MpiNative.ThreadSerialized)
            throw new NotSupportedException($"This MPI library gives thread level {provided}; BarlowTwins needs MPI_THREAD_SERIALIZED ({MpiNative.ThreadSerialized}).");
        MpiNative.Check(mpi.CommRank(MpiNative.CommWorld, out var rank), "MPI_Comm_rank");
        MpiNative.Check(mpi.CommSize(MpiNative.CommWorld, out var size), "MPI_Comm_size");
        int localSize = int.TryParse(Environment.GetEnvironmentVariable("MPI_LOCALNRANKS"), out var local) && local > 0 ? local : 1;
        return new MpiCollectives(mpi, rank, size, localSize);
    }

    /// <inheritdoc />
    public void AllReduceSum(Tensor tensor) =>
        Transfer(tensor, "MPI_Allreduce", (data, count, type) =>
            _mpi.Allreduce(MpiNative.InPlace, data, count, type, MpiNative.Sum, MpiNative.CommWorld));

    /// <inheritdoc />
    public void Broadcast(Tensor tensor, int root = 0)
    {
        if (root < 0 || root >= Size) throw new ArgumentOutOfRangeException(nameof(root), root, $"Ranks are 0 … {Size - 1}.");
        Transfer(tensor, "MPI_Bcast", (data, count, type) => _mpi.Bcast(data, count, type, root, MpiNative.CommWorld));
    }

    /// <inheritdoc />
    public void Abort(int exitCode) => _mpi.Abort(MpiNative.CommWorld, exitCode);

    /// <inheritdoc />
    public void Barrier()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        MpiNative.Check(_mpi.Barrier(MpiNative.CommWorld), "MPI_Barrier");
    }

    /// <summary>Runs an MPI call over the tensor's memory, in pieces of at most 2³⁰ elements.</summary>
    private void Transfer(Tensor tensor, string call, Func<IntPtr, int, int, int> operation)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (tensor.numel() == 0) return;
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        bool direct = tensor.device_type == DeviceType.CPU && tensor.is_contiguous()
                      && tensor.dtype is ScalarType.Float32 or ScalarType.Float64;
        var buffer = direct ? tensor
            : tensor.to_type(tensor.dtype == ScalarType.Float64 ? ScalarType.Float64 : ScalarType.Float32).cpu().contiguous();
        bool isDouble = buffer.dtype == ScalarType.Float64;
        int elementSize = isDouble ? sizeof(double) : sizeof(float);
        var start = (isDouble ? buffer.storage<double>().data_ptr() : buffer.storage<float>().data_ptr())
                    + checked((nint)(buffer.storage_offset() * elementSize));
        for (long offset = 0; offset < buffer.numel(); offset += MaxCount)
        {
            int count = (int)Math.Min(MaxCount, buffer.numel() - offset);
            MpiNative.Check(operation(start + (nint)(offset * elementSize), count, isDouble ? MpiNative.Double : MpiNative.Float), call);
        }
        if (!direct) tensor.copy_(buffer);
    }

    /// <summary>Finalises MPI (every rank must dispose).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        MpiNative.Check(_mpi.Finalized(out var finalized), "MPI_Finalized");
        if (finalized == 0) MpiNative.Check(_mpi.Finalize(), "MPI_Finalize");
    }
}
