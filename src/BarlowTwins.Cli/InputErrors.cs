namespace BarlowTwins.Cli;

/// <summary>Turns errors in what the user gave (a bad spec, a missing folder, a broken dataset) into one line and exit code 1, not a stack trace.</summary>
internal static class InputErrors
{
    /// <summary>Runs <paramref name="action"/>; input errors print "error: …" on stderr.</summary>
    public static int Guard(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception error) when (error is FormatException or InvalidDataException or IOException or ArgumentException)
        {
            Console.Error.WriteLine($"error: {error.Message}");
            return 1;
        }
    }
}
