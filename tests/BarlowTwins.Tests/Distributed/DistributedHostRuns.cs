using System.Diagnostics;
using BarlowTwins.Tests.Support;

namespace BarlowTwins.Tests.Distributed;

/// <summary>
/// Runs tests/BarlowTwins.DistributedHost twice on the same global batch of 16 — once as a single
/// process, once as two ranks under MPICH's mpiexec — and keeps both output folders.
/// <list type="bullet">
/// <item>eval: every batch-norm in eval mode. Single process: the whole batch in one shot.
/// Two ranks: 8 samples each, in micro-batches of 3 (data-parallel and micro-batching together).</item>
/// <item>train: training-mode batch-norm, no SyncBN, so each rank normalises its 8 samples by
/// their own statistics. Single process: micro-batches of 8, the same "ghost" statistics.</item>
/// <item>sync: a small conv net, training mode, SyncBatchNorm on the two ranks, BatchNorm in the
/// single process, both on the whole batch at once.</item>
/// <item>pretrain: the real Pretrainer, loader and augmentations on synthetic images, global
/// batch 8, training-mode batch-norm, 3 steps then resumed to 5. Single process: micro-batches of 4
/// (each normalised by its own statistics, as each rank's 4 are). Two ranks: 4 each in one shot.</item>
/// </list>
/// </summary>
public sealed class DistributedHostRuns : IDisposable
{
    // A guard against a hung rank, not a speed check: quiet, both runs take under a minute, but on a
    // busy 2-core machine (a CI run beside training jobs) the single process alone took over 3.
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(15);
    private readonly TempFolder _root = new();

    /// <summary>Output of the single process.</summary>
    public string SingleProcess { get; }

    /// <summary>Output of rank 0 of the two-rank run.</summary>
    public string TwoRanks { get; }

    public DistributedHostRuns()
    {
        var host = HostAssembly();
        var dotnet = Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
        // MPICH's launcher by its own name first: plain mpiexec may be Open MPI's on machines with both.
        var mpiexec = FindOnPath("mpiexec.mpich") ?? FindOnPath("mpiexec.hydra") ?? FindOnPath("mpiexec")
            ?? throw new InvalidOperationException("mpiexec not found on PATH: the Distributed tests need MPICH (Debian/Ubuntu: apt-get install mpich).");
        SingleProcess = Directory.CreateDirectory(_root.File("single")).FullName;
        TwoRanks = Directory.CreateDirectory(_root.File("ranks")).FullName;
        Run(dotnet, [host, SingleProcess, "eval:0", "train:8", "sync:0", "pretrain:4"]);
        // -launcher fork: start both ranks locally, never through ssh.
        Run(mpiexec, ["-launcher", "fork", "-n", "2", dotnet, host, TwoRanks, "eval:3", "train:0", "sync:0", "check", "pretrain:0"]);
    }

    private static string HostAssembly()
    {
        // Built by the test project's ProjectReference, in the same configuration as the tests.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var path = Path.Combine(RepositoryRoot.Find(), "tests", "BarlowTwins.DistributedHost", "bin", configuration, "net10.0",
                                "BarlowTwins.DistributedHost.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build tests/BarlowTwins.DistributedHost first (the test project references it).", path);
    }

    private static void Run(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish in {Timeout}.");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{stdout.Result}\n{stderr.Result}");
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);

    public void Dispose() => _root.Dispose();
}
