using static TorchSharp.torch;

namespace BarlowTwins.Evaluation;

/// <summary>Counts of (true class, predicted class) pairs: rows are labels, columns predictions.</summary>
public sealed class ConfusionMatrix
{
    private readonly long[,] _counts;

    /// <summary>Class names, one per row and column.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>An empty matrix over <paramref name="classes"/>.</summary>
    public ConfusionMatrix(IReadOnlyList<string> classes)
    {
        if (classes.Count == 0) throw new ArgumentException("A confusion matrix needs at least one class.");
        Classes = classes;
        _counts = new long[classes.Count, classes.Count];
    }

    /// <summary>Number of samples with label <paramref name="actual"/> predicted as <paramref name="predicted"/>.</summary>
    public long this[int actual, int predicted] => _counts[actual, predicted];

    /// <summary>All samples counted.</summary>
    public long Total { get; private set; }

    /// <summary>Adds one batch: <paramref name="predicted"/> and <paramref name="labels"/> are class indices (N).</summary>
    public void Add(Tensor predicted, Tensor labels)
    {
        var p = predicted.cpu().to_type(ScalarType.Int64).data<long>().ToArray();
        var l = labels.cpu().to_type(ScalarType.Int64).data<long>().ToArray();
        for (int i = 0; i < p.Length; i++) Add((int)l[i], (int)p[i]);
    }

    /// <summary>Adds one sample.</summary>
    public void Add(int actual, int predicted)
    {
        if ((uint)actual >= (uint)Classes.Count || (uint)predicted >= (uint)Classes.Count)
            throw new ArgumentOutOfRangeException(nameof(actual),
                $"Class indices must lie in [0, {Classes.Count}); got label {actual}, prediction {predicted}.");
        _counts[actual, predicted]++;
        Total++;
    }

    /// <summary>Rows as arrays (for JSON).</summary>
    public long[][] ToRows() =>
        Enumerable.Range(0, Classes.Count)
                  .Select(r => Enumerable.Range(0, Classes.Count).Select(c => _counts[r, c]).ToArray())
                  .ToArray();

    /// <summary>Share of samples on the diagonal, in percent.</summary>
    public double Accuracy =>
        Total == 0 ? 0 : 100.0 * Enumerable.Range(0, Classes.Count).Sum(i => _counts[i, i]) / Total;
}
