using BarlowTwins.Optim;

namespace BarlowTwins.Training.Options;

/// <summary>Builds the optimizer a <see cref="PretrainOptions"/> names: lars (the paper's), sgd or adamw.</summary>
public static class OptimizerKinds
{
    /// <summary>The names accepted by <see cref="PretrainOptions.Optimizer"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["lars", "sgd", "adamw"];

    /// <summary>The optimizer over <paramref name="groups"/> with the options' hyper-parameters.</summary>
    public static IOptimizer Create(PretrainOptions options, ParameterGroups groups) => options.Optimizer switch
    {
        "lars" => new Lars(groups, new LarsOptions(options.WeightDecay, options.Momentum, options.Eta)),
        "sgd" => TorchOptimizer.Sgd(groups, options.Momentum, options.WeightDecay),
        "adamw" => TorchOptimizer.AdamW(groups, options.Momentum, options.Beta2, options.WeightDecay),
        _ => throw new ArgumentException($"Unknown optimizer '{options.Optimizer}': use {string.Join(", ", Names)}."),
    };
}
