using System.Text;

namespace BarlowTwins.Training.Checkpoints;

/// <summary>
/// Replaces a file so that a reader, a kill or a power cut sees the old file or the complete new
/// one, never half of one: written to PATH.tmp-PID beside it, flushed to disk, renamed over it,
/// and the rename made durable (<see cref="DurableDirectory"/>).
/// </summary>
internal static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>, atomically.</summary>
    public static void Write(string path, Action<FileStream> write)
    {
        string temporary = $"{path}.tmp-{Environment.ProcessId}";
        try
        {
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                write(file);
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
        DurableDirectory.Sync(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>Writes <paramref name="text"/> (UTF-8) to <paramref name="path"/>, atomically.</summary>
    public static void WriteAllText(string path, string text) => Write(path, file => file.Write(Encoding.UTF8.GetBytes(text)));
}
