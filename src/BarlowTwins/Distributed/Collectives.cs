namespace BarlowTwins.Distributed;

/// <summary>Chooses the collectives for this process from the environment the launcher sets.</summary>
public static class Collectives
{
    /// <summary>
    /// <see cref="MpiCollectives"/> when started by MPICH's <c>mpiexec</c> (hydra sets PMI_RANK and
    /// PMI_SIZE) with more than one rank, otherwise <see cref="SingleProcess"/>. Call once per process.
    /// </summary>
    public static ICollectives FromEnvironment()
    {
        if (int.TryParse(Environment.GetEnvironmentVariable("PMI_SIZE"), out var size) && size > 1)
            return MpiCollectives.Initialize();
        if (int.TryParse(Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_SIZE"), out var ompiSize) && ompiSize > 1)
            throw new NotSupportedException(
                "Started by Open MPI's mpiexec, but BarlowTwins speaks MPICH's ABI: install mpich and launch with mpiexec.mpich (hydra).");
        return new SingleProcess();
    }
}
