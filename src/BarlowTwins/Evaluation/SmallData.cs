namespace BarlowTwins.Evaluation;

/// <summary>
/// What keeps an evaluation on little data from misleading without a word: k no larger than the
/// training split it searches, and a flag on test splits too small for a percentage to mean much.
/// (Top-5 with five classes or fewer is left out by <see cref="TopKAccuracy"/> itself.)
/// </summary>
public static class SmallData
{
    /// <summary>Test splits with fewer images are flagged: there one image moves top-1 by more than a point.</summary>
    public const int TestImages = 100;

    /// <summary>The warnings about evaluating on <paramref name="data"/>, in the order they matter.</summary>
    public static List<string> Warnings(ProbeData data)
    {
        var warnings = new List<string>();
        if (data.Test.Count < TestImages)
            warnings.Add($"the test split has only {data.Test.Count} images (under {TestImages}): " +
                         $"one image moves top-1 by {100.0 / data.Test.Count:F1} points, so read the accuracy as a rough figure.");
        return warnings;
    }

    /// <summary><paramref name="options"/> with k at most the training split's size; a warning is added when it was more.</summary>
    public static KnnOptions ClampK(KnnOptions options, int trainImages, List<string> warnings)
    {
        if (options.K <= trainImages) return options;
        warnings.Add($"k = {options.K} is more than the {trainImages} training images: using k = {trainImages} " +
                     "(every training image votes, so the nearest count for little).");
        return options with { K = trainImages };
    }
}
