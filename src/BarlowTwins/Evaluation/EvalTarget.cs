using BarlowTwins.Training;

namespace BarlowTwins.Evaluation;

/// <summary>What an evaluation command measures, on what, and where it writes.</summary>
/// <param name="Checkpoint">A run folder, random:ARCH[:WIDTH] or pixels (see <see cref="EvalBackbone.Help"/>).</param>
/// <param name="Data">Data spec of the labelled dataset (train and test splits).</param>
/// <param name="Out">Folder for the JSON and PNG; default: CHECKPOINT/eval for a run folder, else runs/eval.</param>
/// <param name="Augment">Augmentation preset giving image size and normalisation; default: from the data kind.</param>
/// <param name="Seed">Seed of random weights, subsets, initialisation, order and augmentation.</param>
/// <param name="Quick">Smoke test: at most 2 048 train and 1 024 test images, and the protocol's quick epochs.</param>
public sealed record EvalTarget(string Checkpoint, string Data, string? Out = null, string? Augment = null, int Seed = 0,
                                bool Quick = false)
{
    /// <summary>Images per split in a quick run.</summary>
    public const int QuickTrainImages = 2048, QuickTestImages = 1024;

    /// <summary>The output folder.</summary>
    public string OutputDirectory =>
        Out ?? (Directory.Exists(Checkpoint) ? new RunFolder(Checkpoint).Evaluations : Path.Combine("runs", "eval"));

    /// <summary>A file-name stem such as <c>linear-fashion-mnist</c>.</summary>
    public string FileStem(string protocol) =>
        protocol + "-" + new string(Data.Select(c => char.IsLetterOrDigit(c) || c == '-' ? c : '_').ToArray()).Trim('_')
        + (Quick ? "-quick" : "");
}
