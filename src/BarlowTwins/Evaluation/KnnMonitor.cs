using BarlowTwins.Models;
using BarlowTwins.Training;
using BarlowTwins.Training.Options;
using BarlowTwins.Training.Precision;
using TorchSharp;

namespace BarlowTwins.Evaluation;

/// <summary>
/// The online k-NN monitor of a pre-training run (<c>--knn-every N</c>): weighted k-NN (k 200,
/// τ 0.1) of the current backbone on a fixed slice of the run's labelled data, its train split
/// as the memory bank and its test split as queries. A slice keeps it to seconds on a CPU. Its
/// features are extracted in the run's precision; <c>auto</c> is measured at the first
/// evaluation and kept for the rest of the run.
/// </summary>
public sealed class KnnMonitor : IBackboneMonitor
{
    /// <summary>Default slice: the first 10 000 training and 2 000 test images.</summary>
    public const int BankImages = 10_000, QueryImages = 2_000;

    private readonly ProbeData _data;
    private KnnOptions _options;

    /// <summary>
    /// A monitor on <paramref name="data"/> (a labelled data spec) with the eval transform of
    /// <paramref name="preset"/>, extracting features in <paramref name="precision"/>.
    /// </summary>
    public KnnMonitor(string data, string preset, string device = "cpu", int bankImages = BankImages, int queryImages = QueryImages,
                      string precision = Precisions.Auto)
    {
        _options = new KnnOptions(Device: device, Precision: precision);
        _options.Validate();
        _data = ProbeData.Open(data, preset, ComputeDevice.Get(device), bankImages, queryImages); // refuses unlabelled data
    }

    /// <summary>The monitor for a run's own data and augmentation preset.</summary>
    public static KnnMonitor For(PretrainOptions options) => new(options.Data, options.Augment, options.Device, precision: options.Precision);

    /// <inheritdoc />
    public double Evaluate(ResNet backbone)
    {
        using var network = _data.Network(ChannelAdapter.ForData(backbone, _data.Train.Channels), _options.Precision,
                                          _options.FeatureBatchSize, ComputeDevice.Get(_options.Device));
        _options = _options with { Precision = network.Precision }; // auto is timed at the first monitor only
        return Knn.Run(network, _data, _options).Accuracy.Top1;
    }
}
