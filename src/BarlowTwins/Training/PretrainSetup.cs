using BarlowTwins.Training.Checkpoints;
using BarlowTwins.Training.Options;

namespace BarlowTwins.Training;

/// <summary>What the user asked for on the command line.</summary>
/// <param name="Preset">Name of the starting preset, or <see cref="PresetChoice.Auto"/> to choose it from the data.</param>
/// <param name="ConfigFile">Optional JSON file of options applied over the preset.</param>
/// <param name="Resume">Insist on resuming: fail when the run folder holds no checkpoint.</param>
/// <param name="Fresh">Insist on a new run: fail when the run folder holds a checkpoint.</param>
/// <param name="Flags">Applies the flags that were given (and only those).</param>
public sealed record PretrainRequest(string Preset, string? ConfigFile, bool Resume, bool Fresh,
                                     Func<PretrainOptions, PretrainOptions> Flags);

/// <summary>The options a run will use.</summary>
/// <param name="Options">The final options, validated.</param>
/// <param name="Resuming">True when they continue the run in <see cref="PretrainOptions.Out"/>.</param>
/// <param name="Choice">The preset chosen for the data when the request named none (null otherwise, and on resume).</param>
public sealed record ResolvedOptions(PretrainOptions Options, bool Resuming, ChosenPreset? Choice)
{
    /// <summary>Something the user should be told about how the options were found, or null.</summary>
    public string? Note { get; init; }
}

/// <summary>
/// Decides the options of a run. New run: preset (named, or chosen for the data:
/// <see cref="PresetChoice"/>), then the config file, then flags. Resumed run (the run folder
/// holds a checkpoint): the saved OUT/config.json, then flags — the preset and config file are
/// not re-applied, so <c>barlow pretrain --out DIR</c> alone continues DIR. Every checkpoint holds
/// the options too: when config.json is missing or damaged, the newest good checkpoint's are used.
/// </summary>
public static class PretrainSetup
{
    /// <summary>The options to run with, whether they continue an existing run, and the preset chosen.</summary>
    public static ResolvedOptions Resolve(PretrainRequest request)
    {
        // The data to choose for comes from the config file or the flags; without either it is Fashion-MNIST.
        var choice = request.Preset.Trim().Equals(PresetChoice.Auto, StringComparison.OrdinalIgnoreCase)
            ? PresetChoice.For(Overlay(PretrainPresets.FashionMnist, request).Data)
            : null;
        var options = Overlay(choice?.Options ?? PretrainPresets.Get(request.Preset), request);
        bool hasCheckpoint = new CheckpointStore(options.Out, options.KeepCheckpoints).Any();
        if (request.Fresh && hasCheckpoint)
            throw new ArgumentException($"{options.Out} already holds a run; choose another --out or drop --fresh to resume it.");
        if (request.Resume && !hasCheckpoint)
            throw new ArgumentException($"--resume: {options.Out} holds no checkpoint to resume.");
        if (!hasCheckpoint) return new ResolvedOptions(options.Validated(), false, choice);

        var (saved, note) = SavedOptions(options.Out, options.KeepCheckpoints);
        var resumed = request.Flags(saved) with { Out = options.Out };
        return new ResolvedOptions(resumed.Validated(), true, null) { Note = note };
    }

    private static (PretrainOptions Options, string? Note) SavedOptions(string runDirectory, int keep)
    {
        string config = new RunFolder(runDirectory).Config;
        try { return (PretrainOptionsJson.Load(config), null); }
        catch (Exception e) when (e is IOException or FormatException)
        {
            using var checkpoint = new CheckpointStore(runDirectory, keep).LoadLatest(_ => { }, setAsideDamaged: false)!;
            return (checkpoint.Options, $"{config} is missing or damaged ({e.Message}): resuming with the options saved in the newest checkpoint");
        }
    }

    private static PretrainOptions Overlay(PretrainOptions preset, PretrainRequest request)
    {
        var options = preset;
        if (request.ConfigFile is string file)
        {
            if (!File.Exists(file)) throw new FileNotFoundException($"Config file {file} does not exist.", file);
            options = PretrainOptionsJson.Overlay(options, File.ReadAllText(file), file);
        }
        return request.Flags(options);
    }
}
