using System.Text.Json.Nodes;
using BarlowTwins.Tests.Support;
using BarlowTwins.Training;
using BarlowTwins.Training.Checkpoints;
using BarlowTwins.Training.Output;
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

    [Fact]
    public void NonFiniteWeightsAreNeitherCheckpointedNorExported()
    {
        var recorder = new RunRecorder();
        var options = TinyRun.Options(Folder) with { MaxSkippedSteps = 1000 };
        using var trainer = new Pretrainer(options, TinyRun.Data(), [recorder]);
        Poison(trainer);
        Assert.Contains("no backbone", Assert.Throws<TrainingDivergedException>(() => trainer.Run()).Message);
        Assert.Empty(new CheckpointStore(Folder, options.KeepCheckpoints).Files());
        Assert.False(File.Exists(new RunFolder(Folder).Backbone));
        Assert.Contains(recorder.Messages, m => m.Contains("not written", StringComparison.Ordinal));
    }

    [Fact]
    public void ANonFiniteCheckpointIsPassedOverLikeADamagedOne()
    {
        var options = TinyRun.Options(Folder);
        using (var trainer = new Pretrainer(options, TinyRun.Data(), [])) trainer.Run();
        var store = new CheckpointStore(Folder, options.KeepCheckpoints);
        string newest = store.Files()[0];
        using (var checkpoint = CheckpointFile.Read(newest))
        {
            checkpoint.Model["backbone.conv1.weight"].view(-1)[0] = tensor(float.PositiveInfinity);
            CheckpointFile.Write(newest, checkpoint.Options, checkpoint.Progress, checkpoint.Model.Select(kv => (kv.Key, kv.Value)),
                                 checkpoint.Optimizer, checkpoint.RandomState);
        }
        var warnings = new List<string>();
        using var loaded = store.LoadLatest(warnings.Add)!;
        Assert.Equal(TinyRun.StepsPerEpoch, loaded.Progress.GlobalStep);
        Assert.Contains(warnings, w => w.Contains("NaN/Inf in 'backbone.conv1.weight'", StringComparison.Ordinal));
    }

    private static void Poison(Pretrainer trainer)
    {
        using var _ = no_grad();
        trainer.Twin.state_dict()["backbone.conv1.weight"].fill_(float.NaN);
    }
}
