using BarlowTwins.Training;

namespace BarlowTwins.Tests.Training;

public sealed class PretrainOptionsTests
{
    [Fact]
    public void ImageNetPresetIsThePaper()
    {
        var o = PretrainPresets.Get("imagenet");
        Assert.Equal(("resnet50", 64, "8192-8192-8192", "0.0051", "lars"), (o.Backbone, o.Width, o.Projector, o.Lambda, o.Optimizer));
        Assert.Equal((2048, 1000, 10.0, 224), (o.BatchSize, o.Epochs, o.WarmupEpochs, o.ImageSize));
        Assert.Equal((0.2, 0.0048, 1.5e-6, 0.9, 0.001), (o.WeightLr, o.BiasLr, o.WeightDecay, o.Momentum, o.Eta));
    }

    [Fact]
    public void EveryPresetIsValid()
    {
        foreach (var (name, preset) in PretrainPresets.All)
            Assert.True(preset.Problems().Count == 0, $"{name}: {string.Join(" ", preset.Problems())}");
    }

    [Fact]
    public void JsonRoundTripsAndUsesFlagNames()
    {
        var options = PretrainPresets.FashionMnist with { MaxSteps = 12, Lambda = "auto" };
        string json = PretrainOptionsJson.Write(options);
        Assert.Contains("\"batch-size\": 128", json);
        Assert.Equal(options, PretrainOptionsJson.Read(json));
    }

    [Fact]
    public void ConfigFileChangesOnlyItsKeys()
    {
        var merged = PretrainOptionsJson.Overlay(PretrainPresets.Cifar, """{ "batch-size": 512, "lambda": "auto" }""");
        Assert.Equal(PretrainPresets.Cifar with { BatchSize = 512, Lambda = "auto" }, merged);
    }

    [Fact]
    public void UnknownConfigKeyIsNamed()
    {
        var error = Assert.Throws<FormatException>(() => PretrainOptionsJson.Overlay(new PretrainOptions(), """{ "batchsize": 1 }""", "my.json"));
        Assert.Contains("my.json", error.Message);
        Assert.Contains("'batchsize'", error.Message);
    }

    [Fact]
    public void MicroBatchIsAJsonKeyAndAtLeastTwo()
    {
        Assert.Equal(64, PretrainOptionsJson.Overlay(PretrainPresets.Cifar, """{ "micro-batch": 64 }""").MicroBatch);
        var error = Assert.Throws<ArgumentException>(() => (PretrainPresets.Cifar with { MicroBatch = 1 }).Validated());
        Assert.Contains("micro-batch must be at least 2", error.Message);
    }

    [Fact]
    public void StemStrideIsAJsonKeyReachesTheBackboneAndNeedsTheCifarStem()
    {
        var strided = PretrainOptionsJson.Overlay(PretrainPresets.FashionMnist, """{ "stem-stride": 2, "width": 64 }""");
        Assert.Equal(2, strided.BackboneOptions().StemStride);
        Assert.Empty(strided.Problems());
        Assert.Equal(1, PretrainOptionsJson.Read("{}").StemStride); // configs written before the option
        var error = Assert.Throws<ArgumentException>(() => (PretrainPresets.ImageNet with { StemStride = 2 }).Validated());
        Assert.Contains("stem-stride", error.Message);
    }

    [Fact]
    public void InvalidOptionsListEveryProblem()
    {
        var error = Assert.Throws<ArgumentException>(() => (new PretrainOptions { BatchSize = 1, Optimizer = "adam", Lambda = "x" }).Validated());
        Assert.Contains("batch-size", error.Message);
        Assert.Contains("optimizer", error.Message);
        Assert.Contains("'x'", error.Message);
    }

    [Fact]
    public void ResumeRefusesChangesToWhatIsComputedButAllowsWhereToStop()
    {
        var saved = PretrainPresets.Cifar;
        Assert.Empty(ResumeRules.Conflicts(saved, saved with { MaxSteps = 5, Workers = 3 }));
        Assert.Equal(["weight-lr", "seed"], ResumeRules.Conflicts(saved, saved with { Seed = 9, WeightLr = 1 }).Select(c => c.Split(' ')[0]));
    }

    [Fact]
    public void WarmupIsCappedAtATenthOfTheRun()
    {
        var options = new PretrainOptions { WarmupEpochs = 10 };
        Assert.Equal(100, ScheduleFactory.WarmupSteps(options, stepsPerEpoch: 10, totalSteps: 10_000));
        Assert.Equal(5, ScheduleFactory.WarmupSteps(options, stepsPerEpoch: 10, totalSteps: 50));
    }
}
