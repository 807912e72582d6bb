using System.CommandLine;
using BarlowTwins.Bench;

namespace BarlowTwins.Cli.Commands;

/// <summary><c>barlow bench WHAT</c>: throughput measured against a reference in the same run (one subcommand per benchmark).</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Measure throughput against the PyTorch reference, in the same run.");
        foreach (var subcommand in Subcommands()) command.Subcommands.Add(subcommand);
        return command;
    }

    private static IEnumerable<Command> Subcommands() =>
    [
        Augment(),
    ];

    private static Command Augment()
    {
        var images = new Option<int>("--images") { Description = "Images per measurement (each decoded, two views).", DefaultValueFactory = _ => 480 };
        var batch = new Option<int>("--batch") { Description = "Images per batch.", DefaultValueFactory = _ => 32 };
        var threads = new Option<int[]>("--threads") { Description = "Worker thread counts to measure.", DefaultValueFactory = _ => [1, 2], AllowMultipleArgumentsPerToken = true };
        var preset = new Option<string>("--preset") { Description = "Augmentation preset (imagenet, cifar, fashion-mnist).", DefaultValueFactory = _ => "imagenet" };
        var files = new Argument<string[]>("jpegs") { Description = "JPEGs to cycle through (default: the photos Debian's matplotlib and scikit-learn ship).", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("augment", "Images/s of the two-view pipeline on real JPEGs (decode included), 1 and 2 threads, and ratio: ours / reference per core.")
        {
            images, batch, threads, preset, files,
        };
        command.SetAction(parse =>
        {
            var chosen = parse.GetValue(files) is { Length: > 0 } given ? given : JpegFiles.Defaults;
            var options = new AugmentBenchmarkOptions(parse.GetValue(images), parse.GetValue(batch), parse.GetValue(threads)!, chosen, parse.GetValue(preset)!);
            return AugmentReport.Run(options, Console.Out);
        });
        return command;
    }
}
