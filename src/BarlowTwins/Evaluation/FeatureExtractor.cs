using BarlowTwins.Augment;
using BarlowTwins.Data;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace BarlowTwins.Evaluation;

/// <summary>Runs a frozen backbone over a whole split once.</summary>
public static class FeatureExtractor
{
    /// <summary>
    /// Features of every image of <paramref name="source"/> through <paramref name="backbone"/>
    /// in eval mode with gradients off (the backbone's previous mode is restored), kept on
    /// <paramref name="device"/> in float32.
    /// </summary>
    public static FeatureSet Extract(Module<Tensor, Tensor> backbone, IImageSource source,
                                     IBatchTransform<LabelledBatch> transform, Device device, int batchSize = 256,
                                     IProgress<EvalProgress>? progress = null, string stage = "features")
    {
        var features = new List<Tensor>();
        var labels = new List<Tensor>();
        try
        {
            using (EvalMode(backbone))
            using (no_grad())
            {
                long done = 0;
                foreach (var batch in SourceBatches.Read(source, transform, batchSize))
                {
                    using var _ = batch;
                    using var scope = NewDisposeScope();
                    features.Add(backbone.forward(batch.Images.to(device)).to_type(ScalarType.Float32).flatten(1).MoveToOuterDisposeScope());
                    labels.Add(batch.Labels.to(device).MoveToOuterDisposeScope());
                    done += batch.Count;
                    progress?.Report(new EvalProgress(stage, done, source.Count));
                }
            }
            if (features.Count == 0) throw new ArgumentException($"The source '{source.Description}' holds no images.");
            return new FeatureSet(cat(features, 0), cat(labels, 0), source.Classes);
        }
        finally
        {
            foreach (var t in features.Concat(labels)) t.Dispose();
        }
    }

    /// <summary>Puts <paramref name="module"/> in eval mode until the result is disposed.</summary>
    internal static IDisposable EvalMode(Module module)
    {
        bool wasTraining = module.training;
        module.eval();
        return new Restore(() => module.train(wasTraining));
    }

    private sealed class Restore(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
