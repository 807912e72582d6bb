using BarlowTwins.Augment;
using BarlowTwins.Data;
using BarlowTwins.Distributed;
using BarlowTwins.Training.Options;

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
    private readonly BatchLoader<TwoViewBatch>? _early; // --progressive: the same batches with smaller global views
    private readonly long _switchStep;

    private PretrainingData(BatchLoader<TwoViewBatch> loader, BatchLoader<TwoViewBatch>? early, long switchStep, string description, DataReport report) =>
        (_loader, _early, _switchStep, Description, Skipped) = (loader, early, switchStep, description, report);

    /// <inheritdoc />
    public string Description { get; }

    /// <summary>The files and folders the source left out, at open and while reading.</summary>
    public DataReport Skipped { get; }

    /// <inheritdoc />
    public int SkippedFiles => Skipped.SkippedCount;

    /// <inheritdoc />
    public int BatchesPerEpoch => _loader.BatchesPerEpoch;

    /// <inheritdoc />
    /// <remarks>
    /// With <see cref="PretrainOptions.Progressive"/>, the batch of global step
    /// s = epoch × <see cref="BatchesPerEpoch"/> + batch has the small global views when s is before
    /// the switch step and full-size ones from it on: a function of the step alone, so prefetching
    /// workers and a resumed run agree. Both loaders share order and seeds, so a batch differs from
    /// the batch without the option in the size of its global views only.
    /// </remarks>
    public IEnumerable<TwoViewBatch> Epoch(int epoch, int startBatch)
    {
        if (_early is null) return _loader.Epoch(epoch, startBatch);
        long first = (long)epoch * BatchesPerEpoch;
        int cut = (int)Math.Clamp(_switchStep - first, startBatch, BatchesPerEpoch);
        return _early.Epoch(epoch, startBatch, cut).Concat(_loader.Epoch(epoch, cut));
    }

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
        var device = ComputeDevice.Get(options.Device);
        var loaderOptions = new LoaderOptions(options.BatchSize / ranks, options.Seed, Workers: options.Workers, Rank: rank, WorldSize: ranks);
        var loader = new BatchLoader<TwoViewBatch>(source, new TwoViewTransform(recipe, device), loaderOptions);
        var early = options.Progressive is { } progressive
            ? new BatchLoader<TwoViewBatch>(source, new TwoViewTransform(recipe with { Size = progressive.Size }, device), loaderOptions)
            : null;
        long switchStep = SwitchStep(options, loader.BatchesPerEpoch);
        string perRank = ranks > 1 ? $" ({options.BatchSize / ranks} on each of {ranks} ranks)" : "";
        log($"data: {source.Description}; {loader.BatchesPerEpoch} batches of {options.BatchSize}{perRank} per epoch, " +
            $"views {recipe.Size} px ({options.Augment}){DescribeJitter(options.JitterStrength)}{Describe("blur", options.Blur)}{Describe("solarize", options.Solarize)}{Describe(options.Progressive, switchStep)}{Describe(recipe.Locals)}");
        return new PretrainingData(loader, early, switchStep, source.Description, report);
    }

    // The first full-size step of --progressive, in the schedule's planned length (a resumed run
    // whose length was raised switches where a run planned for the new length does, as its rates).
    private static long SwitchStep(PretrainOptions options, int batchesPerEpoch)
    {
        if (options.Progressive is not { } progressive) return 0;
        long total = ScheduleFactory.PlannedSteps(options, batchesPerEpoch)
                     ?? throw new ArgumentException("--progressive needs --steps or --epochs, not --minutes.");
        return progressive.SwitchStep(total);
    }

    private static string DescribeJitter(double strength) =>
        strength == 1 ? "" : FormattableString.Invariant($", colour jitter ×{strength} (--jitter-strength, not the paper's method)");

    private static string Describe(string flag, ViewProbabilities? probabilities) =>
        probabilities is { } p ? FormattableString.Invariant($", {flag} {p.A} / {p.B} in views A / B (--{flag})") : "";

    private static string Describe(ProgressiveResolution? progressive, long switchStep) =>
        progressive is { } p ? $", {p.Size} px for the first {switchStep} steps (--progressive, not the paper's method)" : "";

    private static string Describe(LocalViews? locals) =>
        locals is null ? "" : $" + {locals.Count} small views of {locals.Size} px, scale {locals.View.CropScale} (multi-crop)";
}
