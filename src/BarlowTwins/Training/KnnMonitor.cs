using BarlowTwins.Evaluation;
using BarlowTwins.Models;

namespace BarlowTwins.Training;

/// <summary>
/// The online health check between epochs: weighted k-NN (k 200, τ 0.1) of the backbone's features
/// on the first <see cref="TrainImages"/> training and <see cref="TestImages"/> test images of the
/// run's dataset, which must be labelled. Cheap enough to run every few epochs.
/// </summary>
public sealed class KnnMonitor(ProbeData data, string device) : IBackboneMonitor
{
    /// <summary>Training images used as neighbours.</summary>
    public const int TrainImages = 5000;

    /// <summary>Test images classified.</summary>
    public const int TestImages = 1000;

    /// <summary>A monitor on the labelled splits of <paramref name="options"/>' data.</summary>
    public static KnnMonitor For(PretrainOptions options) =>
        new(ProbeData.Open(options.Data, options.Augment, TorchSharp.torch.device(options.Device), TrainImages, TestImages),
            options.Device);

    /// <inheritdoc />
    public double Evaluate(ResNet backbone) =>
        Knn.Run(backbone, data, new KnnOptions(Device: device)).Accuracy.Top1 / 100;
}
