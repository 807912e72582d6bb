using System.Globalization;
using BarlowTwins.Evaluation;
using BarlowTwins.Loss;
using BarlowTwins.Models;

namespace BarlowTwins.Experiments;

/// <summary>Which terms of the loss a pre-training run optimises.</summary>
public enum LossVariant
{
    /// <summary>invariance + λ · redundancy (the method).</summary>
    Full,

    /// <summary>Σ (1 − C_ii)² alone (λ = 0); the paper measured 57.3 % against 71.4 %.</summary>
    InvarianceOnly,

    /// <summary>Σ_{i≠j} C_ij² alone; the paper measured 0.1 % (collapse).</summary>
    RedundancyOnly,
}

/// <summary>One pre-training configuration of an ablation.</summary>
/// <param name="Group">Which study it belongs to: loss, lambda, projector, batch.</param>
/// <param name="Name">What varies, e.g. "λ = 0.02".</param>
/// <param name="Loss">Loss terms optimised.</param>
/// <param name="Lambda">λ: a number or auto (1/D).</param>
/// <param name="Projector">Projector widths, e.g. 512-512-512.</param>
/// <param name="BatchSize">Images per pre-training step.</param>
public sealed record AblationCase(string Group, string Name, LossVariant Loss, RedundancyWeight Lambda, ProjectorSpec Projector, int BatchSize)
{
    /// <summary>Cases with equal settings share one run (the baseline appears in every group).</summary>
    public string Key => $"{Loss}|{Lambda}|{Projector}|{BatchSize}";
}

/// <summary>The settings every ablation run shares.</summary>
public sealed record AblationOptions
{
    /// <summary>Pre-training preset every run starts from (fashion-mnist, cifar, imagenet).</summary>
    public string Preset { get; init; } = "fashion-mnist";

    /// <summary>Data spec for pre-training and the probe.</summary>
    public string Data { get; init; } = "fashion-mnist";

    /// <summary>Pre-training budget per run, in minutes (used when <see cref="Epochs"/> is null).</summary>
    public double Minutes { get; init; } = 3;

    /// <summary>Pre-training budget per run in epochs: the same images for every row whatever the machine's load.</summary>
    public int? Epochs { get; init; }

    /// <summary>Linear-probe epochs per run (cached features).</summary>
    public int ProbeEpochs { get; init; } = 30;

    /// <summary>Baseline λ.</summary>
    public RedundancyWeight Lambda { get; init; } = RedundancyWeight.Auto;

    /// <summary>Baseline projector.</summary>
    public ProjectorSpec Projector { get; init; } = ProjectorSpec.Parse("512-512-512");

    /// <summary>Baseline batch.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Seed of every run.</summary>
    public int Seed { get; init; }

    /// <summary>Studies to run (loss, lambda, projector, batch); all when empty.</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];

    /// <summary>Folder for the runs, the table and its JSON.</summary>
    public string Out { get; init; } = "runs/ablate";

    /// <summary>Smoke test: probe on the quick slice of the data (see <see cref="EvalTarget.Quick"/>).</summary>
    public bool Quick { get; init; }

    /// <summary>JSON file of pre-training options applied over the preset (keys are <c>barlow pretrain</c>'s flag names), e.g. <c>{"width": 16}</c>.</summary>
    public string? Config { get; init; }

    /// <summary>The budget of every run in words: "1 epoch" or "3 min".</summary>
    public string Budget => Epochs is { } e
        ? string.Create(CultureInfo.InvariantCulture, $"{e} epoch{(e == 1 ? "" : "s")}")
        : string.Create(CultureInfo.InvariantCulture, $"{Minutes:0.##} min");
}

/// <summary>The paper's ablations (its tables 2–4 and figure 4) in miniature, as data.</summary>
public static class AblationPlan
{
    /// <summary>The studies, in table order.</summary>
    public static readonly string[] AllGroups = ["loss", "lambda", "projector", "batch"];

    /// <summary>
    /// Every case of the chosen groups around the baseline of <paramref name="options"/>: loss terms
    /// (full, invariance only, redundancy only); λ ∈ {0.001, 0.0051, 0.02, auto = 1/D}; projector
    /// width ∈ {D/4, D, 4D} at the baseline depth; batch ∈ {base/4, base/2, base, 2·base}.
    /// </summary>
    public static IReadOnlyList<AblationCase> Cases(AblationOptions options)
    {
        var groups = options.Groups.Count > 0 ? options.Groups : AllGroups;
        var unknown = groups.Except(AllGroups).ToArray();
        if (unknown.Length > 0)
            throw new ArgumentException($"Unknown ablation group(s) {string.Join(", ", unknown)}; use {string.Join(", ", AllGroups)}.");
        var baseline = new AblationCase("", "", LossVariant.Full, options.Lambda, options.Projector, options.BatchSize);
        ProjectorSpec Scaled(double factor) => new(baseline.Projector.Widths.Select(w => Math.Max(1, (int)(w * factor))).ToArray());
        var cases = new List<AblationCase>();
        foreach (var group in AllGroups.Where(groups.Contains))
        {
            var inGroup = baseline with { Group = group };
            cases.AddRange(group switch
            {
                "loss" =>
                [
                    inGroup with { Name = "full loss" },
                    inGroup with { Name = "invariance only", Loss = LossVariant.InvarianceOnly, Lambda = RedundancyWeight.Of(0) },
                    inGroup with { Name = "redundancy only", Loss = LossVariant.RedundancyOnly },
                ],
                "lambda" => new[] { RedundancyWeight.Of(0.001), RedundancyWeight.Paper, RedundancyWeight.Of(0.02), RedundancyWeight.Auto }
                    .Select(l => inGroup with { Name = $"λ = {(l.IsAuto ? "auto (1/D)" : l.ToString())}", Lambda = l }),
                "projector" => new[] { 0.25, 1, 4 }
                    .Select(f => inGroup with { Name = $"projector {Scaled(f)}", Projector = Scaled(f) }),
                _ => new[] { options.BatchSize / 4, options.BatchSize / 2, options.BatchSize, options.BatchSize * 2 }
                    .Select(b => inGroup with { Name = $"batch {b}", BatchSize = b }),
            });
        }
        return cases;
    }
}
