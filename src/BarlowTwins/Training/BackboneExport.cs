using BarlowTwins.Models;

namespace BarlowTwins.Training;

/// <summary>Writes the trained backbone (TorchSharp's state format) atomically, for evaluation and transfer.</summary>
public static class BackboneExport
{
    /// <summary>File name of the exported backbone inside the run directory.</summary>
    public const string FileName = "backbone.dat";

    /// <summary>
    /// Saves <paramref name="backbone"/> to <paramref name="runDirectory"/>/backbone.dat; returns the path.
    /// A channels-last backbone is returned to NCHW strides first (<see cref="ChannelsLast.Revert"/>).
    /// </summary>
    public static string Save(ResNet backbone, string runDirectory)
    {
        string path = Path.Combine(runDirectory, FileName);
        string temporary = $"{path}.tmp-{Environment.ProcessId}";
        ChannelsLast.Revert(backbone);
        backbone.save(temporary);
        File.Move(temporary, path, overwrite: true);
        return path;
    }
}
