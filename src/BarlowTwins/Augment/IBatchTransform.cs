using BarlowTwins.Data;

namespace BarlowTwins.Augment;

/// <summary>
/// Turns a batch of decoded images into tensors. The result must depend only on the images and
/// the seed, never on timing or thread count, so runs replay exactly.
/// </summary>
public interface IBatchTransform<out TBatch>
{
    /// <summary>Transforms <paramref name="images"/>; every random draw comes from <paramref name="seed"/>.</summary>
    TBatch Apply(IReadOnlyList<ImageSample> images, long seed);
}
