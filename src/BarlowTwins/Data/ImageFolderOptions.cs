namespace BarlowTwins.Data;

/// <summary>How to check the files of an image folder when it opens.</summary>
public enum FolderCheck
{
    /// <summary>Read each file's header (fast): catches empty, non-image and most corrupt files.</summary>
    Header,

    /// <summary>Decode every file completely (slow, thorough): also catches truncated and damaged pixel data.</summary>
    Full,
}

/// <summary>Options of an image folder source.</summary>
/// <param name="Channels">3 (RGB) or 1 (grey, for grey datasets).</param>
/// <param name="Check">How thoroughly files are checked when the folder opens.</param>
/// <param name="TestFraction">
/// Share of images held out as <see cref="DataSplit.Test"/> when the folder has no train/ and test/
/// sub-folders; chosen by a hash of each file's relative path, so the split is the same on every
/// machine and adding files never moves existing ones between splits.
/// </param>
public sealed record ImageFolderOptions(int Channels = 3, FolderCheck Check = FolderCheck.Header, double TestFraction = 0.1);
