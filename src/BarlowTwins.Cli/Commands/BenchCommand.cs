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
        Step(),
        Loss(),
        Ceiling(),
        All(),
    ];

    private static readonly AugmentBenchmarkOptions AugmentDefaults = new(480, 32, [1, 2], JpegFiles.Defaults, "imagenet");

    /// <summary>The options every step/loss/all subcommand takes, and how to read them.</summary>
    private sealed class TimingOptions
    {
        private readonly Option<int> _threads = new("--threads") { Description = "torch threads, ours and the reference's.", DefaultValueFactory = _ => Environment.ProcessorCount };
        private readonly Option<int> _interop = new("--interop-threads") { Description = "torch inter-op threads (ours; 0 = libtorch's default).", DefaultValueFactory = _ => 0 };
        private readonly Option<int> _steps = new("--steps") { Description = "Timed steps (loss: passes) per measurement.", DefaultValueFactory = _ => 3 };
        private readonly Option<int> _warmup = new("--warmup") { Description = "Untimed steps before them.", DefaultValueFactory = _ => 1 };
        private readonly Option<string[]> _precision = new("--precision") { Description = "fp32 and/or bf16 (bf16 network, float32 master weights and loss).", DefaultValueFactory = _ => ["fp32", "bf16"], AllowMultipleArgumentsPerToken = true };
        private readonly Option<string[]> _layout = new("--layout") { Description = "nchw and/or channels-last: memory layout of our step's convolutions (each measured in turn).", DefaultValueFactory = _ => ["nchw"], AllowMultipleArgumentsPerToken = true };
        private readonly Option<bool> _noReference = new("--no-reference") { Description = "Skip the PyTorch reference." };

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { _threads, _interop, _steps, _warmup, _precision, _layout, _noReference }) command.Options.Add(option);
        }

        public BenchSettings Read(ParseResult parse) => new(parse.GetValue(_threads), parse.GetValue(_interop), parse.GetValue(_steps),
                                                              parse.GetValue(_warmup), parse.GetValue(_precision)!, !parse.GetValue(_noReference),
                                                              parse.GetValue(_layout)!);
    }

    private static Command Step()
    {
        var timing = new TimingOptions();
        var shapes = new Argument<string[]>("shapes") { Description = $"Shapes to measure ({string.Join(", ", StepShape.All.Select(s => s.Name))}; default: all).", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("step", "Images/s of one training step (two views → ResNet → projector → loss → backward → LARS) on random images, ours vs the reference, and fraction of matmul peak.") { shapes };
        timing.AddTo(command);
        command.SetAction(parse =>
        {
            var chosen = parse.GetValue(shapes) is { Length: > 0 } names ? names.Select(StepShape.Named).ToList() : StepShape.All;
            return StepBenchReport.Run(chosen, timing.Read(parse), Console.Out);
        });
        return command;
    }

    private static Command Ceiling()
    {
        var timing = new TimingOptions();
        var names = string.Join(", ", StepShape.All.Select(s => s.Name).Concat(ForwardShape.All.Select(s => s.Name)));
        var shapes = new Argument<string[]>("shapes") { Description = $"Shapes to measure ({names}; default: r18-32).", Arity = ArgumentArity.ZeroOrMore };
        var batches = new Option<int[]>("--eval-batch")
        { Description = $"Images per forward pass of the forward shapes, each measured in turn (default {ForwardShape.Eval.Batch}).", AllowMultipleArgumentsPerToken = true };
        var command = new Command("ceiling", "Each convolution of a step timed alone (float32): the fastest any step on this machine's kernels can be, " +
                                             $"against our step and the reference's; for {ForwardShape.Eval.Name}, the forward pass alone against our feature extraction.") { shapes, batches };
        timing.AddTo(command);
        command.SetAction(parse =>
        {
            var chosen = parse.GetValue(shapes) is { Length: > 0 } given ? given : ["r18-32"];
            var forward = chosen.Select(ForwardShape.Find).OfType<ForwardShape>().ToList();
            var steps = chosen.Where(name => ForwardShape.Find(name) is null).Select(StepShape.Named).ToList();
            var sizes = parse.GetValue(batches) is { Length: > 0 } b ? b : [];
            if (sizes.Length > 0) forward = [.. forward.SelectMany(shape => sizes.Select(size => shape with { Batch = size }))];
            return CeilingReport.Run(steps, forward, timing.Read(parse), Console.Out);
        });
        return command;
    }

    private static Command Loss()
    {
        var timing = new TimingOptions();
        var n = new Option<long>("--n") { Description = "Batch size N.", DefaultValueFactory = _ => 256 };
        var d = new Option<long>("--d") { Description = "Embedding width D.", DefaultValueFactory = _ => 8192 };
        var command = new Command("loss", "Seconds per loss forward + backward at N × D, ours (blocked, plain autograd) vs btref.bt_loss, and against the 6·N·D² FLOP bound.") { n, d };
        timing.AddTo(command);
        command.SetAction(parse => LossBenchReport.Run(parse.GetValue(n), parse.GetValue(d), timing.Read(parse), Console.Out));
        return command;
    }

    private static Command All()
    {
        var timing = new TimingOptions();
        var skipLong = new Option<bool>("--skip-long") { Description = "Leave out the long shapes (ResNet-50 224 px: minutes on 2 cores)." };
        var command = new Command("all", "bench loss, bench step on every shape, bench augment: every ratio in one run.") { skipLong };
        timing.AddTo(command);
        command.SetAction(parse =>
        {
            var settings = timing.Read(parse);
            var shapes = StepShape.All.Where(s => !(s.Long && parse.GetValue(skipLong))).ToList();
            return LossBenchReport.Run(256, 8192, settings, Console.Out)
                 | StepBenchReport.Run(shapes, settings, Console.Out)
                 | AugmentReport.Run(AugmentDefaults, Console.Out);
        });
        return command;
    }

    private static Command Augment()
    {
        var images = new Option<int>("--images") { Description = "Images per measurement (each decoded, two views).", DefaultValueFactory = _ => AugmentDefaults.Images };
        var batch = new Option<int>("--batch") { Description = "Images per batch.", DefaultValueFactory = _ => AugmentDefaults.Batch };
        var threads = new Option<int[]>("--threads") { Description = "Worker thread counts to measure.", DefaultValueFactory = _ => [.. AugmentDefaults.Threads], AllowMultipleArgumentsPerToken = true };
        var augment = new AugmentOption("Augmentation preset (imagenet, cifar, fashion-mnist).", AugmentDefaults.Preset);
        var files = new Argument<string[]>("jpegs") { Description = "JPEGs to cycle through (default: the photos Debian's matplotlib and scikit-learn ship).", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("augment", "Images/s of the two-view pipeline on real JPEGs (decode included), 1 and 2 threads, and ratio: ours / reference per core.")
        {
            images, batch, threads, files,
        };
        augment.AddTo(command);
        command.SetAction(parse => InputErrors.Guard(() =>
        {
            var chosen = parse.GetValue(files) is { Length: > 0 } given ? given : AugmentDefaults.Files;
            var options = new AugmentBenchmarkOptions(parse.GetValue(images), parse.GetValue(batch), parse.GetValue(threads)!, chosen, augment.Value(parse)!);
            return AugmentReport.Run(options, Console.Out);
        }));
        return command;
    }
}
