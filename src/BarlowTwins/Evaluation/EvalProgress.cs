namespace BarlowTwins.Evaluation;

/// <summary>How far a long evaluation step has come, e.g. ("train features", 12 800, 60 000).</summary>
/// <param name="Stage">What is running.</param>
/// <param name="Done">Units finished (images, epochs…).</param>
/// <param name="Total">Units in all.</param>
/// <param name="Note">A short detail such as the latest accuracy, or empty.</param>
public readonly record struct EvalProgress(string Stage, long Done, long Total, string Note = "");
