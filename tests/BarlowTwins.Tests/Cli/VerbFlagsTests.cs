using System.Collections;
using System.CommandLine;
using System.Globalization;
using System.Reflection;
using BarlowTwins.Augment;
using BarlowTwins.Cli.Commands;
using BarlowTwins.Data;
using BarlowTwins.Evaluation;
using BarlowTwins.Experiments;
using BarlowTwins.Interop;
using BarlowTwins.Loss;
using BarlowTwins.Models;

namespace BarlowTwins.Tests.Cli;

/// <summary>
/// Every verb besides <c>pretrain</c> (which <see cref="CommandLineTests"/> covers with its config
/// file): each field of the options record that the verb builds has a flag that sets that field
/// and no other, or is listed here as one the command line leaves to the protocol, with the reason.
/// A new field fails <see cref="EveryFieldHasAFlagOrAReasonForNone"/> until someone decides.
/// </summary>
public sealed class VerbFlagsTests
{
    // A field's flag and a value other than its default: the flag's text ("" for a switch given
    // alone) and the field's value it must give. Numbers without an entry are changed by rule.
    private sealed record Change(string Flag, string? Text = null, object? Value = null);

    // One verb: how it is called with only its required flags, how its record is read from the
    // parse, which flag sets each field, and the fields no flag sets (with the reason).
    private sealed record Verb(string Path, string[] Required, Func<ParseResult, object> Read,
                               Dictionary<string, Change> Flags, Dictionary<string, string> NoFlag);

    private const string SeedReason = "set from --seed, which names the run's seed for every protocol (EvalTarget.Seed)";
    private const string ThroughputReason = "images per forward pass: speed and memory only, the result is the same";

    private static readonly Dictionary<string, Change> EvalCommon = new()
    {
        ["Device"] = new("--device", "cuda"),
        ["Precision"] = new("--precision", "bf16"),
    };

    private static readonly Verb[] AllVerbs =
    [
        new("eval linear", ["--checkpoint", "run"], EvalCommand.ReadLinear,
            new(EvalCommon)
            {
                ["Epochs"] = new("--epochs"), ["BatchSize"] = new("--batch-size"), ["LearningRate"] = new("--lr"),
                ["WeightDecay"] = new("--weight-decay"), ["Mode"] = new("--augmented", "", ProbeMode.Augmented),
                ["Standardize"] = new("--standardize", "", true),
            },
            new()
            {
                ["Momentum"] = "SPEC's 0.9: the protocol, not a knob", ["Seed"] = SeedReason, ["FeatureBatchSize"] = ThroughputReason,
            }),
        new("eval knn", ["--checkpoint", "run"], EvalCommand.ReadKnn,
            new(EvalCommon) { ["K"] = new("--k"), ["Temperature"] = new("--temperature") },
            new() { ["ChunkSize"] = "test samples per similarity matmul: memory only", ["FeatureBatchSize"] = ThroughputReason }),
        new("eval semi", ["--checkpoint", "run"], EvalCommand.ReadSemi,
            new(EvalCommon)
            {
                ["LabelFraction"] = new("--labels", "10%", 0.1), ["Epochs"] = new("--epochs"), ["BatchSize"] = new("--batch-size"),
                ["HeadRate"] = new("--head-lr"), ["BackboneRate"] = new("--backbone-lr"), ["ScratchBackboneRate"] = new("--scratch-lr"),
            },
            new()
            {
                ["WeightDecay"] = "SPEC's 0: the protocol, not a knob", ["Momentum"] = "SPEC's 0.9: the protocol, not a knob",
                ["Seed"] = SeedReason, ["FeatureBatchSize"] = ThroughputReason,
            }),
        new("eval linear", ["--checkpoint", "run"], EvalCommand.ReadTarget,
            new()
            {
                ["Checkpoint"] = new("--checkpoint", "other"), ["Data"] = new("--data", "idx:/digits"), ["Out"] = new("--out", "elsewhere"),
                ["Augment"] = new("--augment", "cifar"), ["Seed"] = new("--seed"), ["Quick"] = new("--quick", "", true),
            },
            new()),
        new("embed", ["--checkpoint", "run", "--data", "fashion-mnist", "--out", "features"], EmbedCommand.Read,
            new()
            {
                ["Checkpoint"] = new("--checkpoint", "other"), ["Data"] = new("--data", "idx:/digits"), ["Out"] = new("--out", "elsewhere"),
                ["Split"] = new("--split", "test", DataSplit.Test), ["Augment"] = new("--augment", "cifar"), ["BatchSize"] = new("--batch-size"),
                ["Device"] = new("--device", "cuda"), ["Plot"] = new("--plot", "", true), ["Precision"] = new("--precision", "bf16"),
            },
            new()),
        new("preview", ["--data", "fashion-mnist"], PreviewCommand.Read,
            new()
            {
                ["Data"] = new("--data", "idx:/digits"), ["Out"] = new("--out", "other.png"), ["Augment"] = new("--augment", "cifar"),
                ["Count"] = new("--count"), ["Seed"] = new("--seed"), ["Split"] = new("--split", "test", DataSplit.Test),
                ["Epoch"] = new("--epoch", "", true), ["BatchSize"] = new("--batch-size"), ["Workers"] = new("--workers"),
                ["CropScale"] = new("--crop-scale", "0.3,1", new Interval(0.3, 1)), ["JitterStrength"] = new("--jitter-strength"),
                ["Blur"] = new("--blur", "1,0.1", new ViewProbabilities(1, 0.1)),
                ["Solarize"] = new("--solarize", "0.1,0.3", new ViewProbabilities(0.1, 0.3)),
            },
            new()),
        new("export", ["--checkpoint", "run", "--format", "onnx", "--out", "backbone.onnx"], ExportCommand.Read,
            new()
            {
                ["Checkpoint"] = new("--checkpoint", "other"), ["Format"] = new("--format", "pytorch", ExportFormat.PyTorch),
                ["Out"] = new("--out", "elsewhere.onnx"), ["ProbeCount"] = new("--probe"),
            },
            new()),
        new("import", ["--from", "weights.pth", "--out", "backbone"], ImportCommand.Read,
            new()
            {
                ["From"] = new("--from", "other.pth"), ["Architecture"] = new("--arch", "resnet50", ResNetArchitecture.Parse("resnet50")),
                ["Out"] = new("--out", "elsewhere"), ["InputChannels"] = new("--channels", "3", 3), ["CifarStem"] = new("--cifar-stem", "true", true),
                ["StemStride"] = new("--stem-stride"),
            },
            new()),
        new("curve", [], CurveCommand.Read,
            new()
            {
                ["Recipes"] = new("--recipe", "wide={temp}", new[] { new CurveRecipe("wide", "{temp}") }),
                ["Minutes"] = new("--minutes", "3", new[] { 3.0 }), ["Preset"] = new("--preset", "cifar"), ["Data"] = new("--data", "idx:/digits"),
                ["Seed"] = new("--seed"), ["Out"] = new("--out", "elsewhere"),
            },
            new()),
        new("ablate", [], AblateCommand.Read,
            new()
            {
                ["Preset"] = new("--preset", "cifar"), ["Data"] = new("--data", "idx:/digits"), ["Minutes"] = new("--minutes"),
                ["Epochs"] = new("--epochs", "2", 2), ["ProbeEpochs"] = new("--probe-epochs"),
                ["Lambda"] = new("--lambda", "0.02", RedundancyWeight.Parse("0.02")),
                ["Projector"] = new("--projector", "64-32", ProjectorSpec.Parse("64-32")), ["BatchSize"] = new("--batch-size"),
                ["Seed"] = new("--seed"), ["Groups"] = new("--groups", "loss", new[] { "loss" }), ["Out"] = new("--out", "elsewhere"),
                ["Quick"] = new("--quick", "", true), ["Config"] = new("--config", "over.json"),
            },
            new()),
    ];

    /// <summary>Each verb, and the type of the record it reads.</summary>
    public static TheoryData<string, string> Records()
    {
        var data = new TheoryData<string, string>();
        foreach (var verb in AllVerbs) data.Add(verb.Path, RecordOf(verb).Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Records))]
    public void EveryFieldHasAFlagOrAReasonForNone(string path, string record)
    {
        var verb = Find(path, record);
        var fields = Fields(RecordOf(verb)).Select(f => f.Name).ToArray();
        Assert.Empty(fields.Except(verb.Flags.Keys).Except(verb.NoFlag.Keys));
        Assert.Empty(verb.Flags.Keys.Concat(verb.NoFlag.Keys).Except(fields)); // no entry outlives its field
        var options = Command(path).Options.Select(o => o.Name).ToHashSet();
        Assert.All(verb.Flags.Values, change => Assert.Contains(change.Flag, options));
    }

    /// <summary>Every field a flag sets, with its verb and record.</summary>
    public static TheoryData<string, string, string> FlaggedFields()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var verb in AllVerbs)
            foreach (var field in verb.Flags.Keys) data.Add(verb.Path, RecordOf(verb).Name, field);
        return data;
    }

    [Theory]
    [MemberData(nameof(FlaggedFields))]
    public void TheFlagSetsItsFieldAndNoOther(string path, string record, string field)
    {
        using var temp = new TempFolder();
        string recipe = temp.File("recipe.json");
        File.WriteAllText(recipe, "{}");
        var verb = Find(path, record);
        var baseline = verb.Read(Parse([.. path.Split(' '), .. verb.Required]));
        var property = RecordOf(verb).GetProperty(field)!;
        var change = verb.Flags[field];
        string text = (change.Text ?? Other(property.GetValue(baseline))).Replace("{temp}", recipe);
        var changed = verb.Read(Parse([.. path.Split(' '), .. Replaced(verb.Required, change.Flag, text)]));

        foreach (var other in Fields(RecordOf(verb)).Where(f => f.Name != field))
            Assert.True(Describe(other.GetValue(baseline)) == Describe(other.GetValue(changed)), $"{change.Flag} {text} also changed {other.Name}");
        string expected = Describe(change.Value ?? (change.Text is null ? Parsed(property, text) : text)).Replace("{temp}", recipe);
        Assert.NotEqual(Describe(property.GetValue(baseline)), expected);
        Assert.Equal(expected, Describe(property.GetValue(changed)));
    }

    private static Verb Find(string path, string record) => AllVerbs.Single(v => v.Path == path && RecordOf(v).Name == record);

    // The record's type is what Read returns.
    private static Type RecordOf(Verb verb) => verb.Read.Method.ReturnType;

    // The fields a caller sets: positional parameters and init properties, not computed ones.
    private static IEnumerable<PropertyInfo> Fields(Type record) =>
        record.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true });

    private static Command Command(string path) =>
        path.Split(' ').Aggregate((Command)Verbs.Root(), (command, name) => command.Subcommands.Single(c => c.Name == name));

    private static ParseResult Parse(string[] args)
    {
        var parse = Verbs.Parse(args);
        Assert.Empty(parse.Errors);
        return parse;
    }

    // The required flags, with FLAG TEXT given (replacing its required value, if it is one).
    private static string[] Replaced(string[] required, string flag, string text)
    {
        var args = new List<string>();
        for (int i = 0; i < required.Length; i += 2)
            if (required[i] != flag) args.AddRange([required[i], required[i + 1]]);
        args.Add(flag);
        if (text.Length > 0) args.Add(text);
        return [.. args];
    }

    // Another number: integers one more, reals doubled and a quarter added.
    private static string Other(object? value) => value switch
    {
        int i => (i + 1).ToString(CultureInfo.InvariantCulture),
        long l => (l + 1).ToString(CultureInfo.InvariantCulture),
        double d => (d * 2 + 0.25).ToString("R", CultureInfo.InvariantCulture),
        _ => throw new InvalidOperationException($"No rule for another value of {value?.GetType().Name ?? "null"}: give the Change its Text and Value."),
    };

    private static object Parsed(PropertyInfo property, string text) =>
        Convert.ChangeType(text, Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType, CultureInfo.InvariantCulture);

    // Values compared by what they hold: lists element by element, numbers in the invariant culture.
    private static string Describe(object? value) => value switch
    {
        null => "null",
        string s => s,
        IEnumerable list => "[" + string.Join(", ", list.Cast<object?>().Select(Describe)) + "]",
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
