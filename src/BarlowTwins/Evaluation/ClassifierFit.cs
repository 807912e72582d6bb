using System.Diagnostics;
using BarlowTwins.Optim;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace BarlowTwins.Evaluation;

/// <summary>
/// The probe's training loop: SGD with momentum on the classifier head, one cosine decay (no
/// warm-up, down to 0) over all steps, the test split scored after every epoch.
/// </summary>
internal sealed class ClassifierFit(Linear head, LinearProbeOptions options, IProgress<EvalProgress>? progress)
{
    /// <summary>
    /// Trains the head on the batches <paramref name="epochBatches"/> yields for each
    /// epoch (0-based) and scores it on <paramref name="test"/> features.
    /// </summary>
    public ProbeResult Run(Func<int, IEnumerable<TrainingBatch>> epochBatches, long stepsPerEpoch, FeatureSet test)
    {
        var clock = Stopwatch.StartNew();
        var schedule = new LearningRateSchedule(options.Epochs * stepsPerEpoch, 0, options.BatchSize,
                                                options.LearningRate, options.LearningRate, FinalFactor: 0);
        using var optimizer = optim.SGD(head.parameters(), schedule.At(0).Weights, options.Momentum,
                                        weight_decay: options.WeightDecay);
        var history = new List<EpochScore>();
        long step = 0;
        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            double lossSum = 0;
            int batches = 0;
            foreach (var batch in epochBatches(epoch))
            {
                using var _ = batch;
                using var scope = NewDisposeScope();
                foreach (var group in optimizer.ParamGroups) group.LearningRate = schedule.At(step).Weights;
                var loss = functional.cross_entropy(head.forward(batch.Inputs), batch.Labels);
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                lossSum += loss.item<float>();
                batches++;
                step++;
            }
            var score = Scoring.Score(head.forward, test);
            history.Add(new EpochScore(epoch + 1, lossSum / Math.Max(1, batches), score.Top1, score.Top5));
            progress?.Report(new EvalProgress("linear probe", epoch + 1, options.Epochs,
                                              $"loss {lossSum / Math.Max(1, batches):F4}  top-1 {score.Top1:F2} %"));
        }
        return Summarise(history, test, clock);
    }

    private ProbeResult Summarise(List<EpochScore> history, FeatureSet test, Stopwatch clock)
    {
        var confusion = new ConfusionMatrix(test.Classes);
        var final = Scoring.Score(head.forward, test, confusion);
        var best = history.MaxBy(h => h.Top1)!;
        return new ProbeResult(final, new TopKAccuracy(best.Top1, best.Top5), best.Epoch, history, confusion,
                               clock.Elapsed.TotalSeconds);
    }
}
