using BarlowTwins.Interop;

namespace BarlowTwins.Cli.Commands;

/// <summary>
/// Runs a verb's work and turns errors caused by the user's input (missing or damaged files,
/// bad option values, refused pickles) into one readable line and exit code 2, not a stack trace.
/// </summary>
internal static class UserErrors
{
    public static int Run(Action work)
    {
        try
        {
            work();
            return 0;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnsafePickleException or ArgumentException or NotSupportedException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
    }
}
