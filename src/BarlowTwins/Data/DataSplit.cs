namespace BarlowTwins.Data;

/// <summary>Which part of a dataset to open.</summary>
public enum DataSplit
{
    /// <summary>The training images.</summary>
    Train,

    /// <summary>The held-out test images.</summary>
    Test,

    /// <summary>Every image the source has (train and test together).</summary>
    All,
}
