using System.CommandLine;
using System.CommandLine.Invocation;

namespace BarlowTwins.Cli.Commands;

/// <summary>Every verb of the barlow command, one file each.</summary>
internal static class Verbs
{
    /// <summary>
    /// Parses a command line of <see cref="Root"/>. A value that does not parse ends the command
    /// with its one-line error, not the error and then the whole help.
    /// </summary>
    public static ParseResult Parse(string[] args)
    {
        var parse = Root().Parse(args);
        if (parse.Action is ParseErrorAction errors) errors.ShowHelp = false; // typo corrections stay: "did you mean"
        return parse;
    }

    /// <summary>The <c>barlow</c> command with every verb.</summary>
    public static RootCommand Root()
    {
        var root = new RootCommand("barlow — Barlow Twins self-supervised learning for .NET");
        foreach (var verb in All()) root.Subcommands.Add(verb);
        PretrainCommand.ShowPresetValuesInHelp(root);
        return root;
    }

    public static IEnumerable<Command> All() =>
    [
        InfoCommand.Create(),
        EvalCommand.Create(),
        AblateCommand.Create(),
        CurveCommand.Create(),
        PreviewCommand.Create(),
        BenchCommand.Create(),
        PretrainCommand.Create(),
        DemoCommand.Create(),
        DistCheckCommand.Create(),
        ExportCommand.Create(),
        ImportCommand.Create(),
        EmbedCommand.Create(),
        NeighboursCommand.Create(),
        DuplicatesCommand.Create(),
    ];
}
