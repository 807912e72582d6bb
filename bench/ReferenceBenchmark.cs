using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace BarlowTwins.Bench;

/// <summary>What the PyTorch reference script measured.</summary>
/// <param name="SingleProcess">images/s in one process with one torch thread (one core).</param>
/// <param name="Workers">DataLoader worker processes.</param>
/// <param name="WithWorkers">images/s with that many workers, after the first batch.</param>
public sealed record ReferenceMeasurement(double SingleProcess, int Workers, double WithWorkers)
{
    /// <summary>images/s per worker (per core).</summary>
    public double PerCore => WithWorkers / Workers;
}

/// <summary>
/// Runs a script of ../shared/reference (beside the repository) with Debian's Python when
/// <c>/usr/bin/python3 -c "import torch"</c> works, and reads the numbers it prints.
/// </summary>
public static partial class ReferenceBenchmark
{
    private const string Python = "/usr/bin/python3";

    /// <summary>The reference folder: ../shared/reference beside the repository holding this program, or null.</summary>
    public static string? FindFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "BarlowTwins.sln")))
            {
                var folder = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "reference"));
                return Directory.Exists(folder) ? folder : null;
            }
        return null;
    }

    /// <summary>True when Debian's python3 can import torch.</summary>
    public static bool TorchAvailable() => Run(["-c", "import torch"], out _) == 0;

    /// <summary>Runs bench_augment.py on <paramref name="files"/>; every line it prints goes to <paramref name="log"/>.</summary>
    public static ReferenceMeasurement Augment(string folder, int images, int workers, int batch, IEnumerable<string> files, TextWriter log)
    {
        string[] arguments = [Path.Combine(folder, "bench_augment.py"), "--n", $"{images}", "--workers", $"{workers}", "--batch", $"{batch}", .. files];
        if (Run(arguments, out var text) != 0) throw new InvalidOperationException($"bench_augment.py failed:\n{text}");
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries)) log.WriteLine($"  reference | {line}");
        return new ReferenceMeasurement(Number(SingleProcessLine(), text), workers, Number(ImagesPerSecondLine(), text));
    }

    /// <summary>
    /// Images per CPU-second of the reference's two-view dataset in this process (one torch
    /// thread), timed with time.process_time: unlike wall time, robust to other processes on a
    /// shared machine.
    /// </summary>
    public static double AugmentPerCpuSecond(string folder, int images, IEnumerable<string> files)
    {
        var script = string.Join("\n",
            "import sys, time, torch",
            $"sys.path.insert(0, {Quote(folder)})",
            "import bench_augment as b",
            "torch.set_num_threads(1)",
            $"ds = b.TwoViews([{string.Join(", ", files.Select(Quote))}], {images})",
            "for i in range(3): ds[i]",
            "t = time.process_time()",
            $"for i in range({images}): ds[i]",
            $"print('cpu images/s: %.2f' % ({images} / (time.process_time() - t)))");
        if (Run(["-c", script.Replace("\\n", "\n")], out var text) != 0) throw new InvalidOperationException($"reference CPU-time run failed:\n{text}");
        return Number(CpuLine(), text);
    }

    private static string Quote(string text) => "'" + text.Replace("\\", "\\\\").Replace("'", "\\'") + "'";

    private static double Number(Regex pattern, string text)
    {
        var match = pattern.Match(text);
        return match.Success
            ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : throw new InvalidDataException($"reference output lacks '{pattern}':\n{text}");
    }

    private static int Run(IEnumerable<string> arguments, out string output)
    {
        if (!File.Exists(Python))
        {
            output = $"{Python} not found";
            return -1;
        }
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        output = process.StandardOutput.ReadToEnd() + stderr.Result;
        process.WaitForExit();
        return process.ExitCode;
    }

    [GeneratedRegex(@"cpu images/s:\s*([0-9.]+)")]
    private static partial Regex CpuLine();

    [GeneratedRegex(@"single process[^:]*:\s*([0-9.]+)\s*images/s")]
    private static partial Regex SingleProcessLine();

    [GeneratedRegex(@"^images/s:\s*([0-9.]+)", RegexOptions.Multiline)]
    private static partial Regex ImagesPerSecondLine();
}
