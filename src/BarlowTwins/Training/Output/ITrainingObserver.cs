using BarlowTwins.Training.Options;
using BarlowTwins.Training.Precision;

namespace BarlowTwins.Training.Output;

/// <summary>What happened in one step, as observers see it.</summary>
/// <param name="Progress">Where the run stands after the step.</param>
/// <param name="Step">The step's numbers (diagnostics on logged steps only).</param>
/// <param name="WeightLr">Learning rate of the weights used for the step.</param>
/// <param name="BiasLr">Learning rate of biases and BN parameters.</param>
/// <param name="ImagesPerSecond">Recent throughput (images, not views).</param>
/// <param name="EtaSeconds">Estimated seconds to <paramref name="EndStep"/> (or to the end of a time budget not yet fitted).</param>
/// <param name="EndStep">The step the run stops at (<see cref="TrainingProgress.EndStep"/>): the schedule's end or <see cref="PretrainOptions.MaxSteps"/>.</param>
/// <param name="Images">Images in the step's batch.</param>
/// <param name="IsLogged">True every <see cref="PretrainOptions.LogEvery"/> steps: sinks that keep history record these.</param>
public sealed record StepReport(TrainingProgress Progress, StepResult Step, double WeightLr, double BiasLr,
                                double ImagesPerSecond, double EtaSeconds, long EndStep, long Images, bool IsLogged);

/// <summary>Summary of a finished epoch.</summary>
/// <param name="Epoch">The epoch just finished (0-based).</param>
/// <param name="Progress">Where the run stands after it.</param>
/// <param name="MeanLoss">Mean loss over the epoch's steps run in this process.</param>
/// <param name="MeanInvariance">Mean invariance term.</param>
/// <param name="MeanRedundancy">Mean redundancy term (before λ).</param>
/// <param name="ImagesPerSecond">Throughput over the epoch.</param>
/// <param name="Seconds">Wall-clock seconds of the epoch in this process.</param>
/// <param name="ResidentMegabytes">Resident set size of the process at the end of the epoch.</param>
/// <param name="ManagedMegabytes">Managed heap in use.</param>
/// <param name="Monitor">k-NN top-1 accuracy (%) when the monitor ran this epoch.</param>
public sealed record EpochReport(int Epoch, TrainingProgress Progress, double MeanLoss, double MeanInvariance,
                                 double MeanRedundancy, double ImagesPerSecond, double Seconds,
                                 double ResidentMegabytes, double ManagedMegabytes, double? Monitor);

/// <summary>Receives the run's events: progress display, metric files, plots. Every method is optional.</summary>
public interface ITrainingObserver : IDisposable
{
    /// <summary>The run starts (or resumes) at <paramref name="progress"/>.</summary>
    void OnStart(PretrainOptions options, TrainingProgress progress, bool resumed) { }

    /// <summary>
    /// The precision the run trains in and how it was chosen (after <see cref="OnStart"/>); by
    /// default a line for the user.
    /// </summary>
    void OnPrecision(PrecisionChoice choice) => OnMessage(choice.ToString());

    /// <summary>The data the run trains on (after <see cref="OnStart"/>): what it is, and how many files it left out.</summary>
    void OnData(IPretrainingData data) { }

    /// <summary>One step finished.</summary>
    void OnStep(StepReport report) { }

    /// <summary>One epoch finished.</summary>
    void OnEpoch(EpochReport report) { }

    /// <summary>A line for the user (checkpoint written, skipped step, resumed…).</summary>
    void OnMessage(string message) { }

    /// <summary>The run ends at <paramref name="progress"/>.</summary>
    void OnFinish(TrainingProgress progress) { }

    void IDisposable.Dispose() { }
}
