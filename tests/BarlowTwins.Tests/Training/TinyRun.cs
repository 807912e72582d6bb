using BarlowTwins.Loss;
using BarlowTwins.Models;
using BarlowTwins.Training.Options;

namespace BarlowTwins.Tests.Training;

/// <summary>Options of a run small enough for a test: ResNet-18 width 4, 8 px, projector 32-32.</summary>
internal static class TinyRun
{
    public const int StepsPerEpoch = 3;

    public static PretrainOptions Options(string outDirectory) => new()
    {
        Backbone = ResNetArchitecture.ResNet18,
        Width = 4,
        CifarStem = true,
        Channels = 3,
        ImageSize = 8,
        Projector = ProjectorSpec.Parse("32-32"),
        Lambda = RedundancyWeight.Auto,
        BatchSize = 8,
        Epochs = 2,
        WarmupEpochs = 1,
        Seed = 3,
        LogEvery = 2,
        CheckpointMinutes = 60,
        Out = outDirectory,
    };

    public static SyntheticTwoViews Data() => new(StepsPerEpoch, 8, 3, 8);
}
