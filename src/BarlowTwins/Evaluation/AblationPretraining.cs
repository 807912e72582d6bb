using BarlowTwins.Models;

namespace BarlowTwins.Evaluation;

/// <summary>The pre-training behind each ablation row: the one place the ablation meets the trainer.</summary>
public static class AblationPretraining
{
    /// <summary>Pre-trains the backbone of <paramref name="case"/> into <paramref name="runDirectory"/> within the options' budget.</summary>
    public static ResNet Pretrain(AblationCase @case, AblationOptions options, string runDirectory) =>
        throw new NotSupportedException("the pre-training engine is not wired in this build");
}
