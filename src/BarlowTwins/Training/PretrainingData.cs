using BarlowTwins.Augment;
using BarlowTwins.Data;
using BarlowTwins.Distributed;

namespace BarlowTwins.Training;

/// <summary>
/// The training batches a <see cref="PretrainOptions"/> describes: the data spec's train split
/// (every image with <c>?split=all</c>: <see cref="DataSpec.PretrainingSplit"/>),
/// the augmentation preset's two views at <see cref="PretrainOptions.ImageSize"/>, through the
/// reproducible <see cref="BatchLoader{TBatch}"/> (order and views depend on seed, epoch and batch only).
/// </summary>
public sealed class PretrainingData : IPretrainingData
{
    private readonly BatchLoader<TwoViewBatch> _loader;

    private PretrainingData(BatchLoader<TwoViewBatch> loader, string description, DataReport report) =>
        (_loader, Description, Skipped) = (loader, description, report);

    /// <inheritdoc />
    public string Description { get; }

    /// <summary>The files and folders the source left out, at open and while reading.</summary>
    public DataReport Skipped { get; }

    /// <inheritdoc />
    public int SkippedFiles => Skipped.SkippedCount;

    /// <inheritdoc />
    public int BatchesPerEpoch => _loader.BatchesPerEpoch;

    /// <inheritdoc />
    public IEnumerable<TwoViewBatch> Epoch(int epoch, int startBatch) => _loader.Epoch(epoch, startBatch);

    /// <summary>
    /// Opens the data of <paramref name="options"/>; <paramref name="log"/> gets a line describing it.
    /// On K ranks (<paramref name="collectives"/>) each global batch of <see cref="PretrainOptions.BatchSize"/>
    /// images is cut into K slices of BatchSize / K, rank r taking the r-th, with the views a single
    /// process would make of those images.
    /// </summary>
    public static PretrainingData Open(PretrainOptions options, Action<string> log, ICollectives? collectives = null)
    {
        int ranks = collectives?.Size ?? 1, rank = collectives?.Rank ?? 0;
        if (options.BatchSize % ranks != 0)
            throw new ArgumentException(
                $"--batch-size {options.BatchSize} is the global batch and must split evenly over the {ranks} ranks: " +
                $"use a multiple of {ranks}, e.g. {options.BatchSize / ranks * ranks} or {(options.BatchSize / ranks + 1) * ranks}.");
        var spec = DataSpec.Parse(options.Data);
        var report = new DataReport();
        var source = spec.Open(spec.PretrainingSplit, report);
        if (source.Count >= 2 && source.Count < options.BatchSize) // the count first: a description may end in a clause of its own
            throw new ArgumentException(
                $"{source.Count} images, fewer than one batch of {options.BatchSize}: pass --batch-size {PresetChoice.BatchThatFits(source.Count)} " +
                $"(or less), or more images (the data: {source.Description}).");
        if (source.Channels == 3 && options.Channels == 1)
            throw new ArgumentException(
                $"{source.Description} gives colour images but the run trains grey ones (channels 1, augment {options.Augment}): " +
                "pass --preset auto (or cifar, imagenet) to train them in colour, or add ?channels=1 to a folder or synthetic spec to train them grey on purpose.");
        var recipe = options.ViewRecipe();
        if (recipe.Channels != options.Channels)
            throw new ArgumentException(
                $"Augmentation preset '{options.Augment}' makes {recipe.Channels}-channel views but the backbone takes {options.Channels}: " +
                $"use --channels {recipe.Channels} or another --augment.");
        var transform = new TwoViewTransform(recipe, ComputeDevice.Get(options.Device));
        var loader = new BatchLoader<TwoViewBatch>(source, transform,
            new LoaderOptions(options.BatchSize / ranks, options.Seed, Workers: options.Workers, Rank: rank, WorldSize: ranks));
        string perRank = ranks > 1 ? $" ({options.BatchSize / ranks} on each of {ranks} ranks)" : "";
        log($"data: {source.Description}; {loader.BatchesPerEpoch} batches of {options.BatchSize}{perRank} per epoch, " +
            $"views {recipe.Size} px ({options.Augment}){Describe(recipe.Locals)}");
        return new PretrainingData(loader, source.Description, report);
    }

    private static string Describe(LocalViews? locals) =>
        locals is null ? "" : $" + {locals.Count} small views of {locals.Size} px, scale {locals.View.CropScale} (multi-crop)";
}
