using System.Diagnostics;
using BarlowTwins.Evaluation;

namespace BarlowTwins.Cli.Runs;

/// <summary>Prints evaluation progress to the console: at most one line every 2 s per stage, and each stage's last step.</summary>
internal sealed class ConsoleProgress : IProgress<EvalProgress>
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _last = TimeSpan.FromSeconds(-2);

    public void Report(EvalProgress value)
    {
        bool done = value.Done >= value.Total;
        if (!done && _clock.Elapsed - _last < TimeSpan.FromSeconds(2)) return;
        _last = _clock.Elapsed;
        Console.WriteLine($"[{_clock.Elapsed:hh\\:mm\\:ss}] {value.Stage} {value.Done}/{value.Total} {value.Note}".TrimEnd());
    }
}
