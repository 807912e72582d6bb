using System.Globalization;

namespace BarlowTwins.Training.Checkpoints;

/// <summary>
/// The checkpoints of one run, in OUT/checkpoints/step-NNNNNNNNN.ckpt: writes new ones, keeps the
/// newest few, and on resume loads the newest one that verifies, falling back to older ones. The
/// damaged ones it fell back past are set aside as step-NNNNNNNNN.ckpt.damaged: they are not
/// checkpoints any more, so rotation neither counts them among those kept nor deletes a good one
/// to keep them.
/// </summary>
public sealed class CheckpointStore
{
    private const string Prefix = "step-";
    private const string Extension = ".ckpt";

    /// <summary>Appended to the name of a damaged checkpoint set aside.</summary>
    public const string DamagedSuffix = ".damaged";
    private readonly int _keep;

    /// <summary>The folder holding the checkpoints.</summary>
    public string Directory { get; }

    /// <summary>A store in <paramref name="runDirectory"/>/checkpoints keeping <paramref name="keep"/> files.</summary>
    public CheckpointStore(string runDirectory, int keep)
    {
        Directory = new RunFolder(runDirectory).Checkpoints;
        _keep = Math.Max(1, keep);
    }

    /// <summary>Checkpoint files, newest (highest step) first.</summary>
    public IReadOnlyList<string> Files() =>
        !System.IO.Directory.Exists(Directory) ? []
        : System.IO.Directory.GetFiles(Directory, Prefix + "*" + Extension)
            .OrderByDescending(StepOf).ToList();

    /// <summary>True when at least one checkpoint file exists.</summary>
    public bool Any() => Files().Count > 0;

    /// <summary>Path of the checkpoint for <paramref name="globalStep"/>.</summary>
    public string PathFor(long globalStep) =>
        Path.Combine(Directory, $"{Prefix}{globalStep.ToString("D9", CultureInfo.InvariantCulture)}{Extension}");

    /// <summary>Writes a checkpoint through <paramref name="write"/> (given the path), then prunes old ones.</summary>
    public string Save(long globalStep, Action<string> write)
    {
        System.IO.Directory.CreateDirectory(Directory);
        string path = PathFor(globalStep);
        write(path);
        foreach (var old in Files().Skip(_keep)) File.Delete(old);
        foreach (var stale in System.IO.Directory.GetFiles(Directory, "*.tmp-*")) TryDelete(stale);
        return path;
    }

    /// <summary>
    /// The newest checkpoint that verifies and holds finite tensors, or null when there is none.
    /// Damaged files are reported through <paramref name="warn"/> and skipped; once a good one is
    /// found, those skipped are set aside when <paramref name="setAsideDamaged"/> (only one process
    /// of a run may rename). If every file is damaged, that is an error and nothing is renamed.
    /// </summary>
    public Checkpoint? LoadLatest(Action<string> warn, bool setAsideDamaged = true)
    {
        var files = Files();
        var damaged = new List<string>();
        foreach (var file in files)
        {
            try
            {
                var checkpoint = CheckpointFile.Read(file);
                if (setAsideDamaged) foreach (var bad in damaged) SetAside(bad, warn);
                return checkpoint;
            }
            // FileNotFoundException: another rank set it aside between the listing and the read.
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException or ArgumentException or FormatException
                                          or FileNotFoundException)
            {
                warn($"skipping checkpoint {file}: {e.Message}");
                damaged.Add(file);
            }
        }
        return files.Count == 0 ? null
            : throw new InvalidDataException($"Every checkpoint in {Directory} is damaged; start a new run with another --out, or delete the folder.");
    }

    private static void SetAside(string file, Action<string> warn)
    {
        if (!File.Exists(file)) return;
        try
        {
            File.Move(file, file + DamagedSuffix, overwrite: true);
            warn($"set aside as {Path.GetFileName(file)}{DamagedSuffix}: no longer counted among the checkpoints kept");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            warn($"could not set {file} aside ({e.Message})");
        }
    }

    /// <summary>The global step a checkpoint file of this store was written at, from its name.</summary>
    public static long StepOf(string path)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        return long.TryParse(name.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var step) ? step : -1;
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { /* another writer's temporary file: not ours to fight over */ }
    }
}
