using System.CommandLine;

namespace BarlowTwins.Cli.Commands;

/// <summary>Every verb of the barlow command, one file each.</summary>
internal static class Verbs
{
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
