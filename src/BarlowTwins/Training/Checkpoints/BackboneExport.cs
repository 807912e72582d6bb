using BarlowTwins.Models;

namespace BarlowTwins.Training.Checkpoints;

/// <summary>Writes the trained backbone (TorchSharp's state format) atomically, for evaluation and transfer.</summary>
public static class BackboneExport
{
    /// <summary>
    /// Saves <paramref name="backbone"/> to <paramref name="runDirectory"/>/backbone.dat; returns the path.
    /// A channels-last backbone is returned to NCHW strides first (<see cref="ChannelsLast.Revert"/>).
    /// </summary>
    public static string Save(ResNet backbone, string runDirectory)
    {
        string path = new RunFolder(runDirectory).Backbone;
        string temporary = $"{path}.tmp-{Environment.ProcessId}";
        ChannelsLast.Revert(backbone);
        backbone.save(temporary);
        File.Move(temporary, path, overwrite: true);
        return path;
    }
}
