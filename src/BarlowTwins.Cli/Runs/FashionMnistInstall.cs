using System.Diagnostics;

namespace BarlowTwins.Cli.Runs;

/// <summary>
/// Gets Fashion-MNIST for the demo: Debian's <c>dataset-fashion-mnist</c> package when it is
/// missing and we are root; otherwise explains and falls back to the synthetic shapes.
/// </summary>
internal static class FashionMnistInstall
{
    private const string Package = "dataset-fashion-mnist";
    private const string TrainImages = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz";
    private const string Synthetic = "synthetic?channels=1&size=28&count=10000";

    /// <summary>The data spec to use: fashion-mnist when available (installing it if we can), else synthetic.</summary>
    public static string EnsureDataSpec()
    {
        if (File.Exists(TrainImages)) return "fashion-mnist";
        if (!OperatingSystem.IsLinux() || !Environment.IsPrivilegedProcess)
            return Fallback($"Fashion-MNIST is not installed and this is not a root shell; `sudo apt-get install {Package}` would fetch it.");
        Console.WriteLine($"installing {Package} with apt-get…");
        if (!AptGet($"install -y --no-install-recommends {Package}"))
            _ = AptGet("update") && AptGet($"install -y --no-install-recommends {Package}");
        return File.Exists(TrainImages) ? "fashion-mnist" : Fallback($"apt-get could not install {Package}.");
    }

    private static string Fallback(string why)
    {
        Console.WriteLine($"{why} Using synthetic shapes instead ({Synthetic}); the numbers will not be Fashion-MNIST's.");
        return Synthetic;
    }

    private static bool AptGet(string arguments)
    {
        try
        {
            var start = new ProcessStartInfo("apt-get", arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
            start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
            using var process = Process.Start(start)!;
            process.StandardOutput.ReadToEnd();
            string errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) Console.WriteLine($"apt-get {arguments}: {errors.Trim()}");
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Console.WriteLine($"apt-get is not available: {e.Message}");
            return false;
        }
    }
}
