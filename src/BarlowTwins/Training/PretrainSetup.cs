namespace BarlowTwins.Training;

/// <summary>What the user asked for on the command line.</summary>
/// <param name="Preset">Name of the starting preset.</param>
/// <param name="ConfigFile">Optional JSON file of options applied over the preset.</param>
/// <param name="Resume">Insist on resuming: fail when the run folder holds no checkpoint.</param>
/// <param name="Fresh">Insist on a new run: fail when the run folder holds a checkpoint.</param>
/// <param name="Flags">Applies the flags that were given (and only those).</param>
public sealed record PretrainRequest(string Preset, string? ConfigFile, bool Resume, bool Fresh,
                                     Func<PretrainOptions, PretrainOptions> Flags);

/// <summary>
/// Decides the options of a run. New run: preset, then the config file, then flags. Resumed run
/// (the run folder holds a checkpoint): the saved OUT/config.json, then flags — the preset and
/// config file are not re-applied, so <c>barlow pretrain --out DIR</c> alone continues DIR.
/// </summary>
public static class PretrainSetup
{
    /// <summary>The options to run with, and whether they continue an existing run.</summary>
    public static (PretrainOptions Options, bool Resuming) Resolve(PretrainRequest request)
    {
        var options = PretrainPresets.Get(request.Preset);
        if (request.ConfigFile is string file)
        {
            if (!File.Exists(file)) throw new FileNotFoundException($"Config file {file} does not exist.", file);
            options = PretrainOptionsJson.Overlay(options, File.ReadAllText(file), file);
        }
        options = request.Flags(options);
        bool hasCheckpoint = new CheckpointStore(options.Out, options.KeepCheckpoints).Any();
        if (request.Fresh && hasCheckpoint)
            throw new ArgumentException($"{options.Out} already holds a run; choose another --out or drop --fresh to resume it.");
        if (request.Resume && !hasCheckpoint)
            throw new ArgumentException($"--resume: {options.Out} holds no checkpoint to resume.");
        if (!hasCheckpoint) return (options.Validated(), false);

        string saved = new RunFolder(options.Out).Config;
        if (!File.Exists(saved))
            throw new ArgumentException($"{options.Out} has checkpoints but no {RunFolder.ConfigFileName}; it was not written by barlow pretrain.");
        var resumed = request.Flags(PretrainOptionsJson.Load(saved)) with { Out = options.Out };
        return (resumed.Validated(), true);
    }
}
