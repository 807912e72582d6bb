using System.Text.Json.Nodes;
using BarlowTwins.Tests.Support;
using BarlowTwins.Training;
using static TorchSharp.torch;

namespace BarlowTwins.Tests.Training;

/// <summary>
/// Runs that meet NaN/Inf: one bad step is skipped and recorded, a run of them stops the run with
/// one sentence, and no checkpoint or backbone ever holds a non-finite tensor.
/// </summary>
[Collection(SerialTorchRandom.Name)]
public sealed class NonFiniteTests : TempFolderTest
{
    [Fact]
    public void TheRankOfNonFiniteEmbeddingsIsNaNAndHugeOnesKeepTheirRank()
    {
        using var z = randn(16, 8, generator: new TorchSharp.torch.Generator(1));
        double rank = CollapseDiagnostics.EffectiveRankOf(z);
        using var huge = z * 1e30f;
        Assert.Equal(rank, CollapseDiagnostics.EffectiveRankOf(huge), 4);
        z[3, 2] = tensor(float.NaN);
        Assert.True(double.IsNaN(CollapseDiagnostics.EffectiveRankOf(z)));
    }

    [Fact]
    public void ARunSurvivesANonFiniteStepAndRecordsItsNumbersByName()
    {
        var options = TinyRun.Options(Folder) with { LogEvery = 1 };
        using (var metrics = new MetricsLog(Folder))
        using (var trainer = new Pretrainer(options, new SyntheticTwoViews(TinyRun.StepsPerEpoch, 8, 3, 8) { PoisonedBatch = 1 }, [metrics]))
            Assert.Equal(2, trainer.Run().SkippedSteps); // batch 1 of both epochs

        var poisoned = File.ReadLines(new RunFolder(Folder).Metrics).Select(line => JsonNode.Parse(line)!)
            .Single(line => (string?)line["kind"] == "step" && (long)line["step"]! == 2);
        Assert.Equal("NaN", (string?)poisoned["loss"]);
        Assert.Equal("NaN", (string?)poisoned["effective_rank"]);
        Assert.True(double.IsNaN(MetricsLog.ReadLoss(Folder).Single(p => p.Step == 2).Loss));
    }

    [Fact]
    public void ConsecutiveSkippedStepsStopTheRunWithOneSentence()
    {
        var recorder = new RunRecorder();
        using var trainer = new Pretrainer(TinyRun.Options(Folder) with { MaxSkippedSteps = 2 }, TinyRun.Data(), [recorder]);
        Poison(trainer);
        var error = Assert.Throws<TrainingDivergedException>(() => trainer.Run());
        Assert.Contains("steps 1–2", error.Message);
        Assert.Equal(2, recorder.Steps.Count);
    }

    private static void Poison(Pretrainer trainer)
    {
        using var _ = no_grad();
        trainer.Twin.state_dict()["backbone.conv1.weight"].fill_(float.NaN);
    }
}
