using BarlowTwins.Cli.Commands;

namespace BarlowTwins.Tests.Cli;

/// <summary>Runs a <c>barlow</c> command line in-process, as Program.cs does, and captures its console.</summary>
internal static class CliRun
{
    /// <summary>The exit code and what went to stdout and stderr.</summary>
    public static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var (oldOut, oldError) = (Console.Out, Console.Error);
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try
        {
            int code = Verbs.Invoke(args, new System.CommandLine.InvocationConfiguration { Output = stdout, Error = stderr });
            return (code, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldError);
        }
    }

    /// <summary>The non-empty lines of <paramref name="text"/>.</summary>
    public static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
