using BarlowTwins.Training.Options;

namespace BarlowTwins.Training;

/// <summary>
/// The run stopped because it can no longer take a finite step: <see cref="PretrainOptions.MaxSkippedSteps"/>
/// consecutive updates were skipped for NaN/Inf, or its weights hold NaN/Inf at the end. The message
/// is one sentence for the user; nothing non-finite was checkpointed or exported.
/// </summary>
public sealed class TrainingDivergedException(string message) : Exception(message);
