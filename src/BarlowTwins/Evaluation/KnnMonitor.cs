using BarlowTwins.Models;
using BarlowTwins.Training;
using TorchSharp;

namespace BarlowTwins.Evaluation;

/// <summary>
/// The online k-NN monitor of a pre-training run (<c>--knn-every N</c>): weighted k-NN (k 200,
/// τ 0.1) of the current backbone on a fixed slice of the run's labelled data, its train split
/// as the memory bank and its test split as queries. A slice keeps it to seconds on a CPU.
/// </summary>
public sealed class KnnMonitor : IBackboneMonitor
{
    /// <summary>Default slice: the first 10 000 training and 2 000 test images.</summary>
    public const int BankImages = 10_000, QueryImages = 2_000;

    private readonly ProbeData _data;
    private readonly KnnOptions _options;

    /// <summary>A monitor on <paramref name="data"/> (a labelled data spec) with the eval transform of <paramref name="preset"/>.</summary>
    public KnnMonitor(string data, string preset, string device = "cpu", int bankImages = BankImages, int queryImages = QueryImages)
    {
        _options = new KnnOptions(Device: device);
        _data = ProbeData.Open(data, preset, ComputeDevice.Get(device), bankImages, queryImages); // refuses unlabelled data
    }

    /// <summary>The monitor for a run's own data and augmentation preset.</summary>
    public static KnnMonitor For(PretrainOptions options) => new(options.Data, options.Augment, options.Device);

    /// <inheritdoc />
    public double Evaluate(ResNet backbone) =>
        Knn.Run(ChannelAdapter.ForData(backbone, _data.Train.Channels), _data, _options).Accuracy.Top1;
}
