using System.Diagnostics;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace BarlowTwins.Evaluation;

/// <summary>
/// The supervised loop shared by the linear probe and fine-tuning: cross-entropy of
/// <c>model(inputs)</c>, one <see cref="CosineSgd"/> update per batch, a score after every epoch.
/// </summary>
internal static class ClassifierFit
{
    /// <summary>
    /// Trains for <paramref name="epochs"/> epochs on the batches <paramref name="epochBatches"/>
    /// yields for each (0-based) epoch. <paramref name="scoreEpoch"/> gets the 1-based epoch and
    /// returns the test accuracy after it, or null when that epoch is not scored.
    /// </summary>
    public static List<EpochScore> Run(Module<Tensor, Tensor> model, CosineSgd optimizer, int epochs,
                                       Func<int, IEnumerable<TrainingBatch>> epochBatches,
                                       Func<int, TopKAccuracy?> scoreEpoch, string stage,
                                       IProgress<EvalProgress>? progress)
    {
        var history = new List<EpochScore>();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            double lossSum = 0;
            int batches = 0;
            foreach (var batch in epochBatches(epoch))
            {
                using var _ = batch;
                using var scope = NewDisposeScope();
                lossSum += optimizer.Step(functional.cross_entropy(model.forward(batch.Inputs), batch.Labels));
                batches++;
            }
            double loss = lossSum / Math.Max(1, batches);
            var score = scoreEpoch(epoch + 1);
            history.Add(new EpochScore(epoch + 1, loss, score?.Top1, score?.Top5));
            progress?.Report(new EvalProgress(stage, epoch + 1, epochs,
                                              $"loss {loss:F4}" + (score is { } s ? $"  top-1 {s.Top1:F2} %" : "")));
        }
        return history;
    }

    /// <summary>The result: <paramref name="final"/> as scored by the caller, the best scored epoch from the history.</summary>
    public static ProbeResult Summarise(List<EpochScore> history, TopKAccuracy final, ConfusionMatrix confusion, Stopwatch clock)
    {
        var best = history.Where(h => h.Top1.HasValue).MaxBy(h => h.Top1!.Value);
        return best is null
            ? new ProbeResult(final, final, history.Count, history, confusion, clock.Elapsed.TotalSeconds)
            : new ProbeResult(final, new TopKAccuracy(best.Top1!.Value, best.Top5), best.Epoch, history, confusion,
                              clock.Elapsed.TotalSeconds);
    }
}
