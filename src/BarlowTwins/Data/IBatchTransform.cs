namespace BarlowTwins.Data;

/// <summary>
/// Turns a batch of decoded images into tensors. The result must depend only on the images and
/// the seed, never on timing or thread count, so runs replay exactly.
/// </summary>
public interface IBatchTransform<out TBatch>
{
    /// <summary>
    /// Transforms <paramref name="images"/>; every random draw comes from <paramref name="seed"/> and
    /// the image's position <paramref name="firstIndex"/> + i in the batch they belong to. A rank
    /// transforming its slice of a global batch passes the slice's start, so each image gets exactly
    /// the draws it gets when one process transforms the whole batch.
    /// </summary>
    TBatch Apply(IReadOnlyList<ImageSample> images, long seed, int firstIndex = 0);
}
