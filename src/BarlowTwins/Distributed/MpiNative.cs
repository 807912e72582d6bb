using System.Runtime.InteropServices;

namespace BarlowTwins.Distributed;

/// <summary>
/// The handful of MPI functions BarlowTwins calls, bound at run time from MPICH's shared library
/// (Debian/Ubuntu package <c>mpich</c>: libmpich.so.12; upstream builds name it libmpi.so.12).
/// MPICH's handles are plain ints whose values are fixed by its mpi.h, so no C shim is needed.
/// BARLOW_MPI_LIBRARY overrides the library path.
/// </summary>
internal sealed class MpiNative
{
    // Values from MPICH's mpi.h (/usr/include/x86_64-linux-gnu/mpich/mpi.h); they are part of its ABI.
    public const int CommWorld = 0x44000000;
    public const int Float = 0x4c00040a;
    public const int Double = 0x4c00080b;
    public const int Sum = 0x58000003;
    public const int ThreadSerialized = 2;
    public const int Success = 0;
    public static readonly IntPtr InPlace = new(-1);

    private static readonly string[] LibraryNames = ["libmpich.so.12", "libmpi.so.12", "libmpich.so", "libmpi.so"];

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    public delegate int InitThreadFn(IntPtr argc, IntPtr argv, int required, out int provided);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    public delegate int FlagFn(out int flag);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    public delegate int CommIntFn(int comm, out int value);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    public delegate int AllreduceFn(IntPtr send, IntPtr receive, int count, int datatype, int op, int comm);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    public delegate int BcastFn(IntPtr buffer, int count, int datatype, int root, int comm);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    public delegate int CommFn(int comm);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    public delegate int VoidFn();
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    public delegate int AbortFn(int comm, int errorCode);

    public InitThreadFn InitThread { get; }
    public FlagFn Initialized { get; }
    public FlagFn Finalized { get; }
    public CommIntFn CommRank { get; }
    public CommIntFn CommSize { get; }
    public AllreduceFn Allreduce { get; }
    public BcastFn Bcast { get; }
    public CommFn Barrier { get; }
    public VoidFn Finalize { get; }
    public AbortFn Abort { get; }

    private MpiNative(IntPtr library)
    {
        InitThread = Bind<InitThreadFn>(library, "MPI_Init_thread");
        Initialized = Bind<FlagFn>(library, "MPI_Initialized");
        Finalized = Bind<FlagFn>(library, "MPI_Finalized");
        CommRank = Bind<CommIntFn>(library, "MPI_Comm_rank");
        CommSize = Bind<CommIntFn>(library, "MPI_Comm_size");
        Allreduce = Bind<AllreduceFn>(library, "MPI_Allreduce");
        Bcast = Bind<BcastFn>(library, "MPI_Bcast");
        Barrier = Bind<CommFn>(library, "MPI_Barrier");
        Finalize = Bind<VoidFn>(library, "MPI_Finalize");
        Abort = Bind<AbortFn>(library, "MPI_Abort");
    }

    /// <summary>Loads MPICH, or explains how to get it.</summary>
    public static MpiNative Load()
    {
        var overridden = Environment.GetEnvironmentVariable("BARLOW_MPI_LIBRARY");
        var candidates = string.IsNullOrEmpty(overridden) ? LibraryNames : [overridden];
        foreach (var name in candidates)
            if (NativeLibrary.TryLoad(name, out var handle)) return new MpiNative(handle);
        throw new DllNotFoundException(
            $"MPICH not found (tried {string.Join(", ", candidates)}). Install it (Debian/Ubuntu: apt-get install mpich) " +
            "or point BARLOW_MPI_LIBRARY at its libmpi/libmpich shared library.");
    }

    /// <summary>Throws when an MPI call did not return MPI_SUCCESS.</summary>
    public static void Check(int code, string call)
    {
        if (code != Success) throw new InvalidOperationException($"{call} failed with MPI error code {code}.");
    }

    private static T Bind<T>(IntPtr library, string name) where T : Delegate =>
        Marshal.GetDelegateForFunctionPointer<T>(NativeLibrary.GetExport(library, name));
}
