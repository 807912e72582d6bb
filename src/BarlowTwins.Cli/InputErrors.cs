using BarlowTwins.Interop;
using BarlowTwins.Training;

namespace BarlowTwins.Cli;

/// <summary>
/// Turns errors in what the user gave into one line on stderr, not a stack trace, and an exit code
/// that says whose the error is (the POSIX and argparse convention):
/// <see cref="UsageError"/> (2) for the command line itself (an unknown flag, a bad option value or
/// data spec, options that contradict each other or a run they resume), <see cref="RuntimeFailure"/> (1)
/// for what the command met while running (a missing, unreadable, unwritable or damaged file, a refused checkpoint,
/// a run that diverged).
/// </summary>
internal static class InputErrors
{
    /// <summary>Exit code of a command line or option value that is wrong: nothing was done.</summary>
    public const int UsageError = 2;

    /// <summary>Exit code of a command that started and failed on what it met (files, data, checkpoints).</summary>
    public const int RuntimeFailure = 1;

    /// <summary>The exit codes, for the help's epilog and the README.</summary>
    public const string Help = "Exit codes: 0 success; 1 a runtime failure (a file missing, unreadable, unwritable or damaged); " +
                               "2 a usage error (an unknown flag, a bad option value, options that contradict each other).";

    /// <summary>Runs <paramref name="action"/> and returns its exit code, or 1 or 2 after printing "error: …".</summary>
    public static int Guard(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception error) when (ExitCode(error) is int code)
        {
            Console.Error.WriteLine($"error: {error.Message}");
            return code;
        }
    }

    /// <summary>Runs <paramref name="work"/>: exit code 0 when it returns, 1 or 2 on an input error.</summary>
    public static int Run(Action work) => Guard(() =>
    {
        work();
        return 0;
    });

    // ArgumentException covers every option check (Problems(), the options records, the data spec's
    // FormatException is the same kind of mistake); anything else that is not an input error is a
    // bug and keeps its stack trace.
    private static int? ExitCode(Exception error) => error switch
    {
        ArgumentException or FormatException => UsageError,
        InvalidDataException or IOException or UnauthorizedAccessException or NotSupportedException or UnsafePickleException
            or TrainingDivergedException => RuntimeFailure,
        _ => null,
    };
}
