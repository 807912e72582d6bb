namespace BarlowTwins.Cli;

/// <summary>
/// Checks, before any work, that a command can write where its <c>--out</c> points: otherwise one
/// line naming the path (a folder where a file is due is a usage error, an unwritable place a
/// runtime failure) and nothing written. The check leaves nothing behind: a probe file is created
/// and deleted in the nearest folder that exists, since permission bits alone do not tell
/// (root ignores them; an immutable folder or a read-only file system refuses root too).
/// </summary>
internal static class OutputPaths
{
    /// <summary>A file the command creates or replaces (its folder may not exist yet), such as <paramref name="example"/>.</summary>
    /// <returns><paramref name="path"/>.</returns>
    public static string File(string path, string option, string example)
    {
        RequireText(path, option, "a file path");
        if (Directory.Exists(path))
            throw new ArgumentException($"{option} {path} is a folder: give the file to write in it, e.g. {Path.Combine(path, example)}.");
        RequireWritable(Path.GetDirectoryName(Path.GetFullPath(path))!, path, option);
        return path;
    }

    /// <summary>A folder the command writes into (created later, if missing).</summary>
    /// <returns><paramref name="path"/>.</returns>
    public static string Folder(string path, string option)
    {
        RequireText(path, option, "a folder");
        if (System.IO.File.Exists(path)) throw new ArgumentException($"{option} {path} is a file, not a folder.");
        RequireWritable(Path.GetFullPath(path), path, option);
        return path;
    }

    private static void RequireText(string path, string option, string what)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException($"{option} is empty: give {what}.");
    }

    private static void RequireWritable(string folder, string path, string option)
    {
        string existing = folder;
        while (!Directory.Exists(existing))
        {
            if (System.IO.File.Exists(existing)) throw new IOException($"{option} {path}: {existing} is a file, so no folder can be made there.");
            existing = Path.GetDirectoryName(existing) ?? throw new IOException($"{option} {path}: no part of it exists.");
        }
        try
        {
            using var probe = new FileStream(Path.Combine(existing, $".barlow-write-check-{Environment.ProcessId}-{Guid.NewGuid():N}"),
                                             FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            // The inner error is the system's reason ("Permission denied", "Read-only file system");
            // the outer one would name the probe file, which the user never asked for.
            throw new IOException($"{option} {path}: cannot write in {existing} ({e.InnerException?.Message ?? "not writable"}).", e);
        }
    }
}
