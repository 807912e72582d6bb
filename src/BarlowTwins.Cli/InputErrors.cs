using BarlowTwins.Interop;
using BarlowTwins.Training;

namespace BarlowTwins.Cli;

/// <summary>
/// Turns errors in what the user gave (a bad spec or option value, a missing folder, a broken
/// dataset, a damaged or refused checkpoint, a run that diverged) into one line on stderr and exit code 1, not a stack trace.
/// </summary>
internal static class InputErrors
{
    /// <summary>Runs <paramref name="action"/> and returns its exit code, or 1 after printing "error: …".</summary>
    public static int Guard(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception error) when (error is FormatException or InvalidDataException or IOException
                                          or ArgumentException or NotSupportedException or UnsafePickleException
                                          or TrainingDivergedException)
        {
            Console.Error.WriteLine($"error: {error.Message}");
            return 1;
        }
    }

    /// <summary>Runs <paramref name="work"/>: exit code 0 when it returns, 1 on an input error.</summary>
    public static int Run(Action work) => Guard(() =>
    {
        work();
        return 0;
    });
}
