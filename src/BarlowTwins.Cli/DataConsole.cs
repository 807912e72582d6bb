using BarlowTwins.Data;

namespace BarlowTwins.Cli;

/// <summary>How every verb opens a data spec: progress while files are checked, skipped files printed once.</summary>
internal static class DataConsole
{
    /// <summary>Opens <paramref name="spec"/>'s <paramref name="split"/>, showing progress of the file check on stderr.</summary>
    public static IImageSource Open(string spec, DataSplit split, DataReport report)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var source = DataSpec.Parse(spec).Open(split, report, new CheckProgress());
        Console.Error.Write("\r" + new string(' ', 40) + "\r");
        Console.WriteLine($"data        {source.Description}, opened in {clock.Elapsed.TotalSeconds:F1} s");
        return source;
    }

    /// <summary>
    /// Prints the skipped files and folders, if any, once: the first few, and when there are more
    /// the whole list written to <paramref name="wholeList"/>.
    /// </summary>
    public static void PrintReport(DataReport report, string wholeList)
    {
        if (report.Publish(wholeList) is { Length: > 0 } summary) Console.WriteLine(summary);
    }

    /// <summary>One updating line on stderr; the check reports from several threads.</summary>
    private sealed class CheckProgress : IProgress<ScanProgress>
    {
        private readonly Lock gate = new();
        private int shown;

        public void Report(ScanProgress value)
        {
            lock (gate)
            {
                if (value.Checked <= shown) return;
                shown = value.Checked;
                Console.Error.Write($"\rchecking images {value.Checked}/{value.Total}");
            }
        }
    }
}
