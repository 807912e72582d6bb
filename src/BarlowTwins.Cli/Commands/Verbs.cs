using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Globalization;

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

    /// <summary>
    /// Runs a command line: its verb's exit code, or <see cref="InputErrors.UsageError"/> when it
    /// does not parse (System.CommandLine's own code for that is 1, a runtime failure's).
    /// </summary>
    public static int Invoke(string[] args, InvocationConfiguration? configuration = null)
    {
        var parse = Parse(args);
        int code = parse.Invoke(configuration);
        // --help still runs (and succeeds) on a command line with errors, such as a missing required option.
        return parse.Action is ParseErrorAction ? InputErrors.UsageError : code;
    }

    /// <summary>The <c>barlow</c> command with every verb.</summary>
    public static RootCommand Root()
    {
        var root = new RootCommand("barlow — Barlow Twins self-supervised learning for .NET.\n" + InputErrors.Help);
        foreach (var verb in All()) root.Subcommands.Add(verb);
        RefuseNonFinite(root);
        PretrainCommand.ShowPresetValuesInHelp(root);
        return root;
    }

    // One rule for every number flag of every verb: NaN and ±Inf parse as doubles but are never a
    // rate, a weight or a budget. The validator is one shared instance, so options that several
    // verbs (or several calls of Root) share get it once. It reads the token, not the value: a
    // token that is no number at all is the parser's own error.
    private static readonly Action<OptionResult> FiniteNumber = RequireFinite;

    private static void RefuseNonFinite(Command command)
    {
        foreach (var option in command.Options.Where(o => o is Option<double> or Option<double?>))
            if (!option.Validators.Contains(FiniteNumber)) option.Validators.Add(FiniteNumber);
        foreach (var sub in command.Subcommands) RefuseNonFinite(sub);
    }

    private static void RequireFinite(OptionResult result)
    {
        foreach (var token in result.Tokens)
            if (double.TryParse(token.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) && !double.IsFinite(number))
                result.AddError($"{result.Option.Name} {token.Value}: give a finite number.");
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
