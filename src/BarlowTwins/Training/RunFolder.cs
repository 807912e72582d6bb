using BarlowTwins.Interop;
using BarlowTwins.Training.Checkpoints;
using BarlowTwins.Training.Options;
using BarlowTwins.Training.Output;

namespace BarlowTwins.Training;

/// <summary>
/// The files of a pre-training run folder (OUT), named here and nowhere else:
/// <code>
///   config.json       the run's <see cref="PretrainOptions"/> (keys are the flag names), written at start
///   checkpoints/      step-NNNNNNNNN.ckpt, the newest few (<see cref="CheckpointStore"/>)
///   metrics.jsonl     one line per logged step and per epoch (<see cref="MetricsLog"/>)
///   tensorboard/      TensorBoard event files (<see cref="TensorBoardLog"/>)
///   loss.png          the loss curve, and correlation.png, the top-left block of C (<see cref="PlotLog"/>)
///   backbone.dat      the trained backbone in TorchSharp's format, written when the run ends (<see cref="BackboneExport"/>)
///   skipped-files.txt every file the data left out as unreadable, when there are more than the console shows
///   eval/             the evaluations of that backbone (JSON records, confusion matrices)
/// </code>
/// </summary>
/// <param name="Directory">The run folder.</param>
public sealed record RunFolder(string Directory)
{
    /// <summary>Name of the options file, for messages.</summary>
    public const string ConfigFileName = "config.json";

    /// <summary>Name of the list of skipped files (also what an ablation folder calls its list).</summary>
    public const string SkippedListFileName = "skipped-files.txt";

    /// <summary>Name of the backbone file, for messages (Interop's, which reads it for <c>--init-from</c>).</summary>
    public const string BackboneFileName = BackboneWeights.RunBackboneFileName;

    /// <summary>OUT/config.json.</summary>
    public string Config => In(ConfigFileName);

    /// <summary>OUT/checkpoints.</summary>
    public string Checkpoints => In("checkpoints");

    /// <summary>OUT/metrics.jsonl.</summary>
    public string Metrics => In("metrics.jsonl");

    /// <summary>OUT/tensorboard.</summary>
    public string TensorBoard => In("tensorboard");

    /// <summary>OUT/loss.png.</summary>
    public string LossPlot => In("loss.png");

    /// <summary>OUT/correlation.png.</summary>
    public string CorrelationPlot => In("correlation.png");

    /// <summary>OUT/backbone.dat.</summary>
    public string Backbone => In(BackboneFileName);

    /// <summary>OUT/skipped-files.txt: every file the data left out, when too many to print.</summary>
    public string SkippedList => In(SkippedListFileName);

    /// <summary>OUT/eval.</summary>
    public string Evaluations => In("eval");

    /// <summary>True when the run finished: its options and its backbone are both there.</summary>
    public bool IsFinished => File.Exists(Config) && File.Exists(Backbone);

    private string In(string name) => Path.Combine(Directory, name);
}
