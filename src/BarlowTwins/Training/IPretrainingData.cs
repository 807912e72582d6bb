using BarlowTwins.Augment;

namespace BarlowTwins.Training;

/// <summary>
/// The batches a run trains on. An epoch's batches must depend only on the epoch number and
/// the seed, so a resumed run sees exactly the batches it would have seen.
/// </summary>
public interface IPretrainingData
{
    /// <summary>Batches in one epoch.</summary>
    int BatchesPerEpoch { get; }

    /// <summary>The batches of <paramref name="epoch"/>, from index <paramref name="startBatch"/> on. The caller disposes each.</summary>
    IEnumerable<TwoViewBatch> Epoch(int epoch, int startBatch);

    /// <summary>The data, in a few words (its data line), for the run's records.</summary>
    string Description => "";

    /// <summary>Files and folders the source could not read and left out, so far.</summary>
    int SkippedFiles => 0;
}
