namespace BarlowTwins.Evaluation;

/// <summary>One epoch: mean training loss and, when that epoch was scored, test accuracy after it.</summary>
public sealed record EpochScore(int Epoch, double TrainLoss, double? Top1, double? Top5);

/// <summary>What a classifier protocol (linear probe, fine-tuning) measured on the test split.</summary>
/// <param name="Final">Top-1/top-5 after the last epoch: the number to report.</param>
/// <param name="Best">The epoch with the best top-1 (an optimistic figure, shown for comparison).</param>
/// <param name="BestEpoch">1-based epoch of <paramref name="Best"/>.</param>
/// <param name="History">Every scored epoch.</param>
/// <param name="Confusion">Test confusion matrix of the final classifier.</param>
/// <param name="Seconds">Wall time of the whole protocol.</param>
public sealed record ProbeResult(TopKAccuracy Final, TopKAccuracy Best, int BestEpoch,
                                 IReadOnlyList<EpochScore> History, ConfusionMatrix Confusion, double Seconds);
