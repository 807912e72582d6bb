namespace BarlowTwins.Data;

/// <summary>How far a source has got checking its files while it opens.</summary>
/// <param name="Checked">Files checked so far.</param>
/// <param name="Total">Files to check.</param>
public readonly record struct ScanProgress(int Checked, int Total);
