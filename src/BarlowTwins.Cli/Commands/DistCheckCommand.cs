using System.CommandLine;
using BarlowTwins.Distributed;
using BarlowTwins.Training;
using TorchSharp;

namespace BarlowTwins.Cli.Commands;

/// <summary><c>barlow dist-check</c>: checks a data-parallel setup, e.g. <c>mpiexec -f hosts -n 4 ./barlow dist-check</c>.</summary>
internal static class DistCheckCommand
{
    // float32 sums in another order give ~1e-7; a broken reduction gives O(1).
    private const double Tolerance = 1e-5;

    public static Command Create()
    {
        var command = new Command("dist-check",
            "Check data-parallel training under mpiexec: the summed gradient of the global loss against one process, and all-reduce speed.");
        command.SetAction(_ =>
        {
            torch.InitializeDeviceType(DeviceType.CPU);
            using var collectives = Collectives.FromEnvironment();
            torch.set_num_threads(collectives.ThreadsPerRank());
            var result = DataParallelCheck.Run(collectives);
            bool exact = result.GradientDifference < Tolerance && result.ReplicaDifference == 0;
            if (collectives.IsRoot)
            {
                Console.WriteLine($"ranks                {result.Ranks}{(result.Ranks == 1 ? " (not started by MPICH's mpiexec)" : "")}");
                Console.WriteLine($"gradient vs 1 rank   {result.GradientDifference:E2} relative ({(result.GradientDifference < Tolerance ? "exact" : "WRONG")})");
                Console.WriteLine($"replicas             {(result.ReplicaDifference == 0 ? "identical" : $"DIFFER by {result.ReplicaDifference:E2}")}");
                if (result.Ranks > 1) Console.WriteLine($"all-reduce 64 MB     {result.AllReduceGigabytesPerSecond:F2} GB/s");
            }
            return exact ? 0 : 1;
        });
        return command;
    }
}
